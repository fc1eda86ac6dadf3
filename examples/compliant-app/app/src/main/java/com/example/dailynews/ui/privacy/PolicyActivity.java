package com.example.dailynews.ui.privacy;

import android.content.Context;
import android.content.Intent;
import android.os.Bundle;
import android.webkit.WebSettings;

import androidx.annotation.NonNull;
import androidx.annotation.Nullable;
import androidx.appcompat.app.AppCompatActivity;

import com.example.dailynews.R;
import com.example.dailynews.databinding.ActivityPolicyBinding;

/**
 * Shows the full Privacy Policy (with the third-party SDK list) or the User Agreement. Both are
 * bundled in assets so they can be read offline and before anything is downloaded.
 */
public class PolicyActivity extends AppCompatActivity {

    public static final String DOC_PRIVACY_POLICY = "privacy_policy";
    public static final String DOC_USER_AGREEMENT = "user_agreement";
    private static final String EXTRA_DOCUMENT = "document";

    @NonNull
    public static Intent intent(@NonNull Context context, @NonNull String document) {
        return new Intent(context, PolicyActivity.class).putExtra(EXTRA_DOCUMENT, document);
    }

    @Override
    protected void onCreate(@Nullable Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        ActivityPolicyBinding binding = ActivityPolicyBinding.inflate(getLayoutInflater());
        setContentView(binding.getRoot());
        if (getSupportActionBar() != null) {
            getSupportActionBar().setDisplayHomeAsUpEnabled(true);
        }

        String document = getIntent().getStringExtra(EXTRA_DOCUMENT);
        boolean terms = DOC_USER_AGREEMENT.equals(document);
        setTitle(terms ? R.string.user_agreement_name : R.string.privacy_policy_name);

        WebSettings settings = binding.webView.getSettings();
        settings.setJavaScriptEnabled(false);
        settings.setAllowFileAccess(false);
        binding.webView.loadUrl("file:///android_asset/"
                + (terms ? DOC_USER_AGREEMENT : DOC_PRIVACY_POLICY) + ".html");
    }

    @Override
    public boolean onSupportNavigateUp() {
        finish();
        return true;
    }
}
