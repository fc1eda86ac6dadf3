package com.example.dailynews.ui.feed

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import com.example.dailynews.BuildConfig
import com.example.dailynews.core.id.InstallationId
import com.example.dailynews.core.net.NetworkMonitor
import com.example.dailynews.core.news.Article
import com.example.dailynews.core.news.NewsApi
import com.example.dailynews.core.privacy.PrivacyStore
import com.example.dailynews.core.settings.FeedSettings
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import java.io.IOException

sealed interface FeedUiState {
    data object Loading : FeedUiState
    data class Content(val articles: List<Article>, val personalized: Boolean) : FeedUiState
    data class Error(val offline: Boolean) : FeedUiState
}

class FeedViewModel(application: Application) : AndroidViewModel(application) {

    private val api = NewsApi.create(application, BuildConfig.API_BASE_URL)

    private val _state = MutableStateFlow<FeedUiState>(FeedUiState.Loading)
    val state: StateFlow<FeedUiState> = _state.asStateFlow()

    init {
        refresh()
    }

    fun refresh() {
        val app = getApplication<Application>()
        // Personalised ranking only with consent and while the user keeps 个性化推荐 switched on.
        val personalized = PrivacyStore.isAgreed(app) && FeedSettings.isPersonalizedEnabled(app)
        viewModelScope.launch {
            _state.value = FeedUiState.Loading
            _state.value = try {
                val articles = api.feed(
                    page = 1,
                    personalized = personalized,
                    clientId = if (personalized) InstallationId.get(app) else null,
                )
                FeedUiState.Content(articles, personalized)
            } catch (e: IOException) {
                FeedUiState.Error(offline = !NetworkMonitor.isOnline(app))
            }
        }
    }
}
