package com.example.dailynews.ui.feed

import android.content.Intent
import android.os.Bundle
import android.view.LayoutInflater
import android.view.View
import android.view.ViewGroup
import androidx.core.view.isVisible
import androidx.fragment.app.Fragment
import androidx.fragment.app.viewModels
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.lifecycleScope
import androidx.lifecycle.repeatOnLifecycle
import com.example.dailynews.analytics.EventTracker
import com.example.dailynews.databinding.FragmentFeedBinding
import com.example.dailynews.ui.comment.CommentActivity
import com.example.dailynews.ui.main.MainActivity
import kotlinx.coroutines.launch

class FeedFragment : Fragment() {

    private var _binding: FragmentFeedBinding? = null
    private val binding get() = _binding!!

    private val viewModel: FeedViewModel by viewModels()

    private val adapter = FeedAdapter(
        onArticleClick = { article ->
            EventTracker.trackArticleOpen(requireContext(), article.id, article.category)
            (requireActivity() as MainActivity).openArticle(article.url)
        },
        onCommentClick = { article ->
            startActivity(
                Intent(requireContext(), CommentActivity::class.java)
                    .putExtra(CommentActivity.EXTRA_ARTICLE_ID, article.id),
            )
        },
    )

    override fun onCreateView(
        inflater: LayoutInflater,
        container: ViewGroup?,
        savedInstanceState: Bundle?,
    ): View {
        _binding = FragmentFeedBinding.inflate(inflater, container, false)
        return binding.root
    }

    override fun onViewCreated(view: View, savedInstanceState: Bundle?) {
        super.onViewCreated(view, savedInstanceState)
        binding.articleList.adapter = adapter
        binding.swipeRefresh.setOnRefreshListener { viewModel.refresh() }

        viewLifecycleOwner.lifecycleScope.launch {
            viewLifecycleOwner.repeatOnLifecycle(Lifecycle.State.STARTED) {
                viewModel.state.collect(::render)
            }
        }
    }

    private fun render(state: FeedUiState) {
        binding.swipeRefresh.isRefreshing = state is FeedUiState.Loading
        binding.errorView.isVisible = state is FeedUiState.Error
        if (state is FeedUiState.Content) {
            adapter.submitList(state.articles)
        }
    }

    override fun onDestroyView() {
        super.onDestroyView()
        _binding = null
    }
}
