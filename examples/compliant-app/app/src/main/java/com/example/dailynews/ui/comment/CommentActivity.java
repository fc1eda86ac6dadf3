package com.example.dailynews.ui.comment;

import android.net.Uri;
import android.os.Bundle;
import android.widget.Toast;

import androidx.activity.result.ActivityResultLauncher;
import androidx.activity.result.PickVisualMediaRequest;
import androidx.activity.result.contract.ActivityResultContracts;
import androidx.annotation.Nullable;
import androidx.appcompat.app.AppCompatActivity;
import androidx.core.os.BundleCompat;

import com.example.dailynews.R;
import com.example.dailynews.databinding.ActivityCommentBinding;

/**
 * Comment with an optional photo. The photo comes from the system photo picker, which needs no
 * storage or camera permission (on older devices it falls back to the document picker).
 */
public class CommentActivity extends AppCompatActivity {

    public static final String EXTRA_ARTICLE_ID = "article_id";
    private static final String STATE_PHOTO_URI = "photo_uri";

    private ActivityCommentBinding binding;
    @Nullable private Uri photoUri;

    private final ActivityResultLauncher<PickVisualMediaRequest> pickPhoto =
            registerForActivityResult(new ActivityResultContracts.PickVisualMedia(), uri -> {
                if (uri != null) {
                    photoUri = uri;
                    binding.photoPreview.setImageURI(uri);
                }
            });

    @Override
    protected void onCreate(@Nullable Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        binding = ActivityCommentBinding.inflate(getLayoutInflater());
        setContentView(binding.getRoot());

        if (savedInstanceState != null) {
            photoUri = BundleCompat.getParcelable(savedInstanceState, STATE_PHOTO_URI, Uri.class);
            binding.photoPreview.setImageURI(photoUri);
        }

        binding.addPhotoButton.setOnClickListener(v -> pickPhoto.launch(
                new PickVisualMediaRequest.Builder()
                        .setMediaType(ActivityResultContracts.PickVisualMedia.ImageOnly.INSTANCE)
                        .build()));
        binding.removePhotoButton.setOnClickListener(v -> {
            photoUri = null;
            binding.photoPreview.setImageDrawable(null);
        });
        binding.postButton.setOnClickListener(v -> post());
    }

    @Override
    protected void onSaveInstanceState(Bundle outState) {
        super.onSaveInstanceState(outState);
        outState.putParcelable(STATE_PHOTO_URI, photoUri);
    }

    private void post() {
        String text = binding.commentInput.getText() == null
                ? "" : binding.commentInput.getText().toString().trim();
        if (text.isEmpty()) {
            binding.commentInput.setError(getString(R.string.comment_empty));
            return;
        }
        String articleId = getIntent().getStringExtra(EXTRA_ARTICLE_ID);
        CommentUploader.upload(this, articleId, text, photoUri);
        Toast.makeText(this, R.string.comment_posted, Toast.LENGTH_SHORT).show();
        finish();
    }
}
