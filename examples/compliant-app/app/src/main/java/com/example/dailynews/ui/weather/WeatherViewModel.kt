package com.example.dailynews.ui.weather

import android.app.Application
import androidx.core.content.edit
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
    data object NoCity : WeatherUiState
    data object Loading : WeatherUiState
    data class Loaded(val weather: Weather) : WeatherUiState
    data object Unavailable : WeatherUiState
}

/** Weather for one city: typed in by the user, or found once from the coarse location. */
class WeatherViewModel(application: Application) : AndroidViewModel(application) {

    private val api = NewsApi.create(application, BuildConfig.API_BASE_URL)
    private val prefs = application.getSharedPreferences("weather", Application.MODE_PRIVATE)

    private val _weather = MutableLiveData<WeatherUiState>(WeatherUiState.NoCity)
    val weather: LiveData<WeatherUiState> = _weather

    /** Shows the last city the user chose, if any. */
    fun loadSavedCity() {
        prefs.getString(KEY_CITY, null)?.let(::load)
    }

    fun setCity(city: String?) {
        if (city.isNullOrBlank()) {
            _weather.value = WeatherUiState.Unavailable
            return
        }
        prefs.edit { putString(KEY_CITY, city.trim()) }
        load(city.trim())
    }

    fun setLoading() {
        _weather.value = WeatherUiState.Loading
    }

    private fun load(city: String) {
        viewModelScope.launch {
            _weather.value = WeatherUiState.Loading
            _weather.value = try {
                WeatherUiState.Loaded(api.weather(city))
            } catch (e: IOException) {
                WeatherUiState.Unavailable
            }
        }
    }

    private companion object {
        const val KEY_CITY = "city"
    }
}
