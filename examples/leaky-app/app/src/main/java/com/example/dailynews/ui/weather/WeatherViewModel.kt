package com.example.dailynews.ui.weather

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.LiveData
import androidx.lifecycle.MutableLiveData
import androidx.lifecycle.viewModelScope
import com.example.dailynews.BuildConfig
import com.example.dailynews.core.news.NewsApi
import com.example.dailynews.core.news.Weather
import kotlinx.coroutines.launch
import java.io.IOException

sealed interface WeatherUiState {
    data object Locating : WeatherUiState
    data class Loaded(val weather: Weather) : WeatherUiState
    data object Unavailable : WeatherUiState
}

class WeatherViewModel(application: Application) : AndroidViewModel(application) {

    private val api = NewsApi.create(application, BuildConfig.API_BASE_URL)

    private val _weather = MutableLiveData<WeatherUiState>(WeatherUiState.Locating)
    val weather: LiveData<WeatherUiState> = _weather

    fun loadFor(city: String?) {
        if (city.isNullOrBlank()) {
            _weather.value = WeatherUiState.Unavailable
            return
        }
        viewModelScope.launch {
            _weather.value = try {
                WeatherUiState.Loaded(api.weather(city))
            } catch (e: IOException) {
                WeatherUiState.Unavailable
            }
        }
    }

    fun markUnavailable() {
        _weather.value = WeatherUiState.Unavailable
    }
}
