package com.example.dailynews.ui.comment;

import android.Manifest;
import android.app.Activity;
import android.content.Intent;
import android.content.pm.PackageManager;
import android.net.Uri;
import android.os.Bundle;
import android.os.Environment;
import android.provider.MediaStore;
import android.widget.Toast;

import androidx.activity.result.ActivityResult;
import androidx.activity.result.ActivityResultLauncher;
import androidx.activity.result.contract.ActivityResultContracts;
import androidx.annotation.Nullable;
import androidx.appcompat.app.AppCompatActivity;
import androidx.core.content.ContextCompat;
import androidx.core.content.FileProvider;

import com.example.dailynews.R;
import com.example.dailynews.databinding.ActivityCommentBinding;

import java.io.File;

public class CommentActivity extends AppCompatActivity {

    public static final String EXTRA_ARTICLE_ID = "article_id";

    private ActivityCommentBinding binding;
    @Nullable private Uri photoUri;

    private final ActivityResultLauncher<String> cameraPermissionLauncher =
            registerForActivityResult(new ActivityResultContracts.RequestPermission(), granted -> {
                if (granted) {
                    launchCamera();
                } else {
                    Toast.makeText(this, R.string.comment_camera_denied, Toast.LENGTH_SHORT).show();
                }
            });

    private final ActivityResultLauncher<Intent> captureLauncher =
            registerForActivityResult(new ActivityResultContracts.StartActivityForResult(),
                    this::onPhotoResult);

    private final ActivityResultLauncher<Intent> galleryLauncher =
            registerForActivityResult(new ActivityResultContracts.StartActivityForResult(), result -> {
                if (result.getResultCode() == Activity.RESULT_OK && result.getData() != null) {
                    photoUri = result.getData().getData();
                    binding.photoPreview.setImageURI(photoUri);
                }
            });

    @Override
    protected void onCreate(@Nullable Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        binding = ActivityCommentBinding.inflate(getLayoutInflater());
        setContentView(binding.getRoot());

        binding.takePhotoButton.setOnClickListener(v -> {
            if (ContextCompat.checkSelfPermission(this, Manifest.permission.CAMERA)
                    == PackageManager.PERMISSION_GRANTED) {
                launchCamera();
            } else {
                cameraPermissionLauncher.launch(Manifest.permission.CAMERA);
            }
        });
        binding.choosePhotoButton.setOnClickListener(v -> galleryLauncher.launch(
                new Intent(Intent.ACTION_PICK, MediaStore.Images.Media.EXTERNAL_CONTENT_URI)));
        binding.postButton.setOnClickListener(v -> post());
    }

    private void launchCamera() {
        File dir = getExternalFilesDir(Environment.DIRECTORY_PICTURES);
        File photo = new File(dir, "comment_" + System.currentTimeMillis() + ".jpg");
        photoUri = FileProvider.getUriForFile(this, getPackageName() + ".fileprovider", photo);

        Intent intent = new Intent(MediaStore.ACTION_IMAGE_CAPTURE);
        intent.putExtra(MediaStore.EXTRA_OUTPUT, photoUri);
        intent.addFlags(Intent.FLAG_GRANT_WRITE_URI_PERMISSION);
        captureLauncher.launch(intent);
    }

    private void onPhotoResult(ActivityResult result) {
        if (result.getResultCode() == Activity.RESULT_OK) {
            binding.photoPreview.setImageURI(photoUri);
        } else {
            photoUri = null;
        }
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
