package com.example.dailynews.core.news

import org.json.JSONObject

data class Article(
    val id: String,
    val title: String,
    val summary: String,
    val source: String,
    val category: String,
    val url: String,
    val publishedAtMillis: Long,
) {
    companion object {
        fun fromJson(json: JSONObject) = Article(
            id = json.getString("id"),
            title = json.getString("title"),
            summary = json.optString("summary"),
            source = json.optString("source"),
            category = json.optString("category", "general"),
            url = json.getString("url"),
            publishedAtMillis = json.optLong("published_at") * 1000,
        )
    }
}

data class Weather(
    val city: String,
    val temperatureCelsius: Int,
    val description: String,
) {
    companion object {
        fun fromJson(json: JSONObject) = Weather(
            city = json.getString("city"),
            temperatureCelsius = json.getInt("temp_c"),
            description = json.optString("text"),
        )
    }
}
