package com.example.dailynews.ui.feed

import android.text.format.DateUtils
import android.view.LayoutInflater
import android.view.ViewGroup
import androidx.recyclerview.widget.DiffUtil
import androidx.recyclerview.widget.ListAdapter
import androidx.recyclerview.widget.RecyclerView
import com.example.dailynews.R
import com.example.dailynews.core.news.Article
import com.example.dailynews.databinding.ItemArticleBinding

class FeedAdapter(
    private val onArticleClick: (Article) -> Unit,
    private val onCommentClick: (Article) -> Unit,
) : ListAdapter<Article, FeedAdapter.ArticleViewHolder>(DIFF) {

    override fun onCreateViewHolder(parent: ViewGroup, viewType: Int): ArticleViewHolder {
        val binding = ItemArticleBinding.inflate(LayoutInflater.from(parent.context), parent, false)
        return ArticleViewHolder(binding)
    }

    override fun onBindViewHolder(holder: ArticleViewHolder, position: Int) {
        holder.bind(getItem(position))
    }

    inner class ArticleViewHolder(
        private val binding: ItemArticleBinding,
    ) : RecyclerView.ViewHolder(binding.root) {

        fun bind(article: Article) {
            binding.title.text = article.title
            binding.summary.text = article.summary
            binding.meta.text = binding.root.context.getString(
                R.string.article_meta,
                article.source,
                DateUtils.getRelativeTimeSpanString(article.publishedAtMillis),
            )
            binding.root.setOnClickListener { onArticleClick(article) }
            binding.commentButton.setOnClickListener { onCommentClick(article) }
        }
    }

    private companion object {
        val DIFF = object : DiffUtil.ItemCallback<Article>() {
            override fun areItemsTheSame(oldItem: Article, newItem: Article) = oldItem.id == newItem.id
            override fun areContentsTheSame(oldItem: Article, newItem: Article) = oldItem == newItem
        }
    }
}
