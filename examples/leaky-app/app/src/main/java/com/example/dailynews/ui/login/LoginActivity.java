package com.example.dailynews.ui.login;

import android.os.Bundle;
import android.text.TextUtils;
import android.widget.Toast;

import androidx.annotation.Nullable;
import androidx.appcompat.app.AppCompatActivity;
import androidx.lifecycle.LifecycleOwnerKt;

import com.example.dailynews.R;
import com.example.dailynews.core.account.AccountRepository;
import com.example.dailynews.databinding.ActivityLoginBinding;

public class LoginActivity extends AppCompatActivity {

    private ActivityLoginBinding binding;
    private AccountRepository accountRepository;

    @Override
    protected void onCreate(@Nullable Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        binding = ActivityLoginBinding.inflate(getLayoutInflater());
        setContentView(binding.getRoot());
        accountRepository = new AccountRepository(this);

        binding.sendCodeButton.setOnClickListener(v -> {
            String phone = phone();
            if (!isValidPhone(phone)) {
                binding.phoneInput.setError(getString(R.string.login_invalid_phone));
                return;
            }
            accountRepository.requestCodeAsync(
                    LifecycleOwnerKt.getLifecycleScope(this), phone,
                    ok -> Toast.makeText(this, ok ? R.string.login_code_sent : R.string.network_error,
                            Toast.LENGTH_SHORT).show());
        });

        binding.loginButton.setOnClickListener(v -> {
            if (!binding.agreementCheckbox.isChecked()) {
                Toast.makeText(this, R.string.login_agree_first, Toast.LENGTH_SHORT).show();
                return;
            }
            String code = binding.codeInput.getText() == null
                    ? "" : binding.codeInput.getText().toString().trim();
            accountRepository.loginAsync(LifecycleOwnerKt.getLifecycleScope(this), phone(), code,
                    ok -> {
                        if (ok) {
                            finish();
                        } else {
                            Toast.makeText(this, R.string.login_failed, Toast.LENGTH_SHORT).show();
                        }
                    });
        });
    }

    private String phone() {
        return binding.phoneInput.getText() == null
                ? "" : binding.phoneInput.getText().toString().trim();
    }

    private static boolean isValidPhone(String phone) {
        return !TextUtils.isEmpty(phone) && phone.matches("1\\d{10}");
    }
}
