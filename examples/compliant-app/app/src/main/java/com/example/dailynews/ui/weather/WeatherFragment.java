package com.example.dailynews.ui.weather;

import android.Manifest;
import android.content.Context;
import android.content.pm.PackageManager;
import android.os.Bundle;
import android.text.InputType;
import android.view.LayoutInflater;
import android.view.View;
import android.view.ViewGroup;
import android.widget.EditText;

import androidx.activity.result.ActivityResultLauncher;
import androidx.activity.result.contract.ActivityResultContracts;
import androidx.annotation.NonNull;
import androidx.annotation.Nullable;
import androidx.core.content.ContextCompat;
import androidx.fragment.app.Fragment;
import androidx.lifecycle.ViewModelProvider;

import com.example.dailynews.R;
import com.example.dailynews.core.news.Weather;
import com.example.dailynews.core.permission.PermissionMemory;
import com.example.dailynews.core.privacy.PrivacyStore;
import com.example.dailynews.databinding.FragmentWeatherBinding;
import com.google.android.material.dialog.MaterialAlertDialogBuilder;

/**
 * Weather card. The city is typed in, or located once from the coarse location when the user
 * taps "Use my location" and accepts the explanation. A refusal is remembered and the card
 * falls back to manual entry.
 */
public class WeatherFragment extends Fragment {

    private static final String LOCATION_PERMISSION = Manifest.permission.ACCESS_COARSE_LOCATION;

    private FragmentWeatherBinding binding;
    private WeatherViewModel viewModel;
    private CityLocator cityLocator;

    private final ActivityResultLauncher<String> locationPermissionLauncher =
            registerForActivityResult(new ActivityResultContracts.RequestPermission(), granted -> {
                Context context = requireContext();
                if (granted) {
                    PermissionMemory.clearDenial(context, LOCATION_PERMISSION);
                    locateCity();
                } else {
                    PermissionMemory.recordDenial(context, LOCATION_PERMISSION);
                    showManualCityEntry();
                }
            });

    @Nullable
    @Override
    public View onCreateView(@NonNull LayoutInflater inflater, @Nullable ViewGroup container,
                             @Nullable Bundle savedInstanceState) {
        binding = FragmentWeatherBinding.inflate(inflater, container, false);
        return binding.getRoot();
    }

    @Override
    public void onViewCreated(@NonNull View view, @Nullable Bundle savedInstanceState) {
        super.onViewCreated(view, savedInstanceState);
        cityLocator = new CityLocator(requireContext());
        viewModel = new ViewModelProvider(this).get(WeatherViewModel.class);
        viewModel.getWeather().observe(getViewLifecycleOwner(), this::render);
        viewModel.loadSavedCity();

        binding.useLocationButton.setOnClickListener(v -> onUseMyLocationClicked());
        binding.changeCityButton.setOnClickListener(v -> showManualCityEntry());
    }

    private void onUseMyLocationClicked() {
        Context context = requireContext();
        if (!PrivacyStore.isAgreed(context)) {
            showManualCityEntry(); // basic mode: no location at all
        } else if (ContextCompat.checkSelfPermission(context, LOCATION_PERMISSION)
                == PackageManager.PERMISSION_GRANTED) {
            locateCity();
        } else if (!PermissionMemory.mayAsk(context, LOCATION_PERMISSION)) {
            showManualCityEntry();
        } else {
            showLocationRationale();
        }
    }

    /** Explains the purpose before the system dialog appears. */
    private void showLocationRationale() {
        int message = shouldShowRequestPermissionRationale(LOCATION_PERMISSION)
                ? R.string.weather_location_rationale_again
                : R.string.weather_location_rationale;
        new MaterialAlertDialogBuilder(requireContext())
                .setTitle(R.string.weather_location_rationale_title)
                .setMessage(message)
                .setPositiveButton(R.string.action_continue,
                        (dialog, which) -> locationPermissionLauncher.launch(LOCATION_PERMISSION))
                .setNegativeButton(R.string.weather_enter_city, (dialog, which) -> showManualCityEntry())
                .show();
    }

    private void locateCity() {
        viewModel.setLoading();
        cityLocator.locate(city -> viewModel.setCity(city));
    }

    private void showManualCityEntry() {
        EditText input = new EditText(requireContext());
        input.setInputType(InputType.TYPE_CLASS_TEXT);
        input.setHint(R.string.weather_city_hint);
        new MaterialAlertDialogBuilder(requireContext())
                .setTitle(R.string.weather_enter_city)
                .setView(input)
                .setPositiveButton(android.R.string.ok,
                        (dialog, which) -> viewModel.setCity(input.getText().toString()))
                .setNegativeButton(android.R.string.cancel, null)
                .show();
    }

    private void render(WeatherUiState state) {
        if (state instanceof WeatherUiState.Loaded) {
            Weather weather = ((WeatherUiState.Loaded) state).getWeather();
            binding.weatherCity.setText(weather.getCity());
            binding.weatherTemperature.setText(
                    getString(R.string.weather_temperature, weather.getTemperatureCelsius()));
            binding.weatherDescription.setText(weather.getDescription());
        } else {
            binding.weatherCity.setText(state instanceof WeatherUiState.Loading
                    ? R.string.weather_locating
                    : state instanceof WeatherUiState.Unavailable
                    ? R.string.weather_location_unavailable
                    : R.string.weather_no_city);
            binding.weatherTemperature.setText("");
            binding.weatherDescription.setText("");
        }
    }

    @Override
    public void onDestroyView() {
        super.onDestroyView();
        cityLocator.stop();
        binding = null;
    }
}
