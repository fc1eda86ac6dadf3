package com.example.dailynews.ui.weather;

import android.Manifest;
import android.os.Bundle;
import android.view.LayoutInflater;
import android.view.View;
import android.view.ViewGroup;

import androidx.activity.result.ActivityResultLauncher;
import androidx.activity.result.contract.ActivityResultContracts;
import androidx.annotation.NonNull;
import androidx.annotation.Nullable;
import androidx.fragment.app.Fragment;
import androidx.lifecycle.ViewModelProvider;

import com.example.dailynews.R;
import com.example.dailynews.core.news.Weather;
import com.example.dailynews.databinding.FragmentWeatherBinding;

import java.util.Map;

public class WeatherFragment extends Fragment {

    private FragmentWeatherBinding binding;
    private WeatherViewModel viewModel;
    private CityLocator cityLocator;

    private final ActivityResultLauncher<String[]> locationPermissionLauncher =
            registerForActivityResult(new ActivityResultContracts.RequestMultiplePermissions(),
                    this::onLocationPermissionResult);

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

        locationPermissionLauncher.launch(new String[]{
                Manifest.permission.ACCESS_FINE_LOCATION,
                Manifest.permission.ACCESS_COARSE_LOCATION,
        });
    }

    private void onLocationPermissionResult(Map<String, Boolean> result) {
        boolean granted = Boolean.TRUE.equals(result.get(Manifest.permission.ACCESS_FINE_LOCATION))
                || Boolean.TRUE.equals(result.get(Manifest.permission.ACCESS_COARSE_LOCATION));
        if (granted) {
            cityLocator.locate(city -> viewModel.loadFor(city));
        } else {
            viewModel.markUnavailable();
        }
    }

    private void render(WeatherUiState state) {
        if (state instanceof WeatherUiState.Loaded) {
            Weather weather = ((WeatherUiState.Loaded) state).getWeather();
            binding.weatherCity.setText(weather.getCity());
            binding.weatherTemperature.setText(
                    getString(R.string.weather_temperature, weather.getTemperatureCelsius()));
            binding.weatherDescription.setText(weather.getDescription());
        } else if (state instanceof WeatherUiState.Unavailable) {
            binding.weatherCity.setText(R.string.weather_location_unavailable);
            binding.weatherTemperature.setText("");
            binding.weatherDescription.setText("");
        } else {
            binding.weatherCity.setText(R.string.weather_locating);
        }
    }

    @Override
    public void onDestroyView() {
        super.onDestroyView();
        cityLocator.stop();
        binding = null;
    }
}
