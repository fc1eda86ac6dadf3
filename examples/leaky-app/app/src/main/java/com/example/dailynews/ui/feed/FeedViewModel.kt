package com.example.dailynews.ui.feed

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import com.example.dailynews.BuildConfig
import com.example.dailynews.core.device.DeviceInfoCollector
import com.example.dailynews.core.news.Article
import com.example.dailynews.core.news.NewsApi
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import java.io.IOException

sealed interface FeedUiState {
    data object Loading : FeedUiState
    data class Content(val articles: List<Article>) : FeedUiState
    data object Error : FeedUiState
}

class FeedViewModel(application: Application) : AndroidViewModel(application) {

    private val api = NewsApi.create(application, BuildConfig.API_BASE_URL)

    private val _state = MutableStateFlow<FeedUiState>(FeedUiState.Loading)
    val state: StateFlow<FeedUiState> = _state.asStateFlow()

    init {
        refresh()
    }

    fun refresh() {
        viewModelScope.launch {
            _state.value = FeedUiState.Loading
            _state.value = try {
                // The recommendation service ranks stories per device.
                val articles = api.feed(
                    page = 1,
                    personalized = true,
                    clientId = DeviceInfoCollector.snapshot?.deviceId,
                )
                FeedUiState.Content(articles)
            } catch (e: IOException) {
                FeedUiState.Error
            }
        }
    }
}
