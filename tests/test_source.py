"""Kotlin with non-ASCII identifiers: tree-sitter-kotlin 1.1 rejects `object 设备工具`, so the parser is given
same-length ASCII placeholders while the summary keeps the names as written."""

from __future__ import annotations

import pytest

from pipl_lint.model.source import kotlin_parse_input, summarize

SOURCE = """package com.acme
// 注释 with ünïcödé
object 设备工具 {
    val 名字 = "中文字符串"
    fun 获取MAC(管理器: android.net.wifi.WifiManager) = 管理器.connectionInfo.macAddress
}
class Ünïcode { fun été(x: Int) = x\u00a0+ 1 }
fun cyrillic(c: Char) = c in 'а'..'я'
""".encode()


def test_placeholders_keep_every_offset_and_only_replace_word_characters() -> None:
    parsed = kotlin_parse_input(SOURCE)
    assert len(parsed) == len(SOURCE) and parsed.isascii() is False  # the no-break space is not a word char
    assert parsed.replace("\u00a0".encode(), b"  ").replace("'а'..'я'".encode(), b"").isascii()
    assert b"object QQQQQQQQQQQQ {" in parsed and b"QQQMAC(" in parsed
    assert kotlin_parse_input(b"fun ascii() = 1") == b"fun ascii() = 1"
    assert "'а'..'я'".encode() in parsed  # a character literal stays one character


def test_non_ascii_names_come_out_as_written() -> None:
    result = summarize("a/设备工具.kt", SOURCE, "kotlin", 60)
    assert result.summary is not None
    assert [line for line, _col in result.summary.syntax_errors] == [7]  # the no-break space, nothing else
    assert [c.name for c in result.summary.classes] == ["设备工具", "Ünïcode"]
    assert {f.name for f in result.summary.functions} >= {"获取MAC", "été"}
    reads = [(s.name, s.receiver, s.line) for s in result.summary.sites if s.name == "macAddress"]
    assert reads == [("macAddress", "管理器.connectionInfo", 5)]


def test_kotlin_callable_references_are_reference_sites() -> None:
    """`.onEach(Telemetry::setEnabled)` / `foo(this::bar)` name a function that runs later: a `reference` site
    inside the call it is handed to (`X::class.java` is a class literal, not a reference)."""
    src = b"""package a
class App {
    fun onCreate() {
        prefs.analytics.changes().onEach(Telemetry::setEnabled).launchIn(scope)
        foo(this::bar)
        val k = X::class.java
    }
}
"""
    summary = summarize("A.kt", src, "kotlin").summary
    assert summary is not None
    refs = [(s.receiver, s.name, s.deferred[-1].call) for s in summary.sites if s.kind == "reference"]
    assert refs == [("Telemetry", "setEnabled", "onEach"), ("this", "bar", "foo")]


def test_kotlin_property_assignment_is_the_java_setter_call() -> None:
    """`x.isCrashlyticsCollectionEnabled = v` calls `setCrashlyticsCollectionEnabled(v)`; `x.userId = v` calls
    `setUserId(v)`; a local assignment is no call."""
    src = b"""package a
class T {
    fun f(enabled: Boolean) {
        crashlytics?.isCrashlyticsCollectionEnabled = enabled
        Firebase.analytics.userId = "x"
        local = 3
    }
}
"""
    summary = summarize("A.kt", src, "kotlin").summary
    assert summary is not None
    calls = [(s.receiver, s.name, [a.text for a in s.args]) for s in summary.sites if s.kind == "call"]
    assert calls == [("crashlytics", "setCrashlyticsCollectionEnabled", ["enabled"]),
                     ("Firebase.analytics", "setUserId", ['"x"'])]


def test_kotlin_state_value_assignment_is_not_a_setter_call() -> None:
    """`_weather.value = x` sets a StateFlow/LiveData value: not `setValue` (which the consent-flow rules read
    as storing to preferences)."""
    src = b"""package a
class VM {
    fun f() { _weather.value = Unavailable }
}
"""
    summary = summarize("A.kt", src, "kotlin").summary
    assert summary is not None
    assert not [s for s in summary.sites if s.kind == "call" and s.name == "setValue"]


def test_columns_count_characters_not_bytes_after_non_ascii_text() -> None:
    """The extractor slices one latin-1 view of the bytes; a line with non-ASCII text before a site still gets
    the character column, and the text of a non-ASCII argument comes out decoded."""
    src = 'fun f(m: M) { val 名字 = m.read("ü"); m.go() }\n'.encode()
    result = summarize("a/F.kt", src, "kotlin", 60)
    assert result.summary is not None
    by_name = {s.name: s for s in result.summary.sites}
    text = src.decode()
    assert by_name["read"].column == text.index("m.read") + 1
    assert by_name["read"].end_column == text.index(");") + 2
    assert by_name["read"].args[0].text == '"ü"'
    assert by_name["go"].column == text.index("m.go") + 1


def test_decoded_summaries_hold_equal_site_parts_once() -> None:
    """`Loaded.decode` shares the guards, deferred contexts and names that MessagePack wrote once per site: the
    summaries equal the extractor's, with one object for each repeated part."""
    from pipl_lint.cache import encode_entry
    from pipl_lint.summaries import Loaded, for_analysis

    src = b"""class A {
    fun f(x: Boolean, t: T) {
        if (x) {
            t.post { t.read(); t.read() }
        }
    }
}
"""
    result = summarize("a/A.kt", src, "kotlin", 60)
    assert result.summary is not None
    entries = [(f"a/{n}.kt", encode_entry((), result.summary), ("a/A.kt", src, "kotlin", 60.0)) for n in "AB"]
    decoded = Loaded(entries).decode([])
    assert [d.sites for d in decoded] == [for_analysis(result.summary).sites] * 2
    first, second = (s for s in decoded[0].sites if s.name == "read")
    assert first.guards and first.deferred and first.guards is second.guards and first.deferred is second.deferred
    assert first.name is second.name and first.kind is second.kind
    assert decoded[1].sites[-1].deferred is decoded[0].sites[-1].deferred  # across the files of one project


def test_decoding_consumes_the_encoded_entries() -> None:
    """The encoded summaries and the files' bytes are let go once decoded (the analysis would otherwise hold a
    project's code three times over); what the incremental step keeps - paths and content keys - stays."""
    from pipl_lint.cache import encode_entry
    from pipl_lint.summaries import Loaded

    src = b"class A { fun f() { g() } }\n"
    result = summarize("a/A.kt", src, "kotlin", 60)
    loaded = Loaded([("a/A.kt", encode_entry((), result.summary), ("a/A.kt", src, "kotlin", 60.0))], ["k1"])
    assert [s.path for s in loaded.decode([])] == ["a/A.kt"]
    assert loaded.entries == [] and loaded.files == [("a/A.kt", "k1")]
    with pytest.raises(RuntimeError):
        loaded.decode([])
    assert Loaded([], []).decode([]) == []


def test_a_scope_function_on_a_typed_property_types_its_block() -> None:
    """`with(notificationManager) { notify(…) }`, `tm.run { imei }` on properties declared with a type (also
    `by lazy`): the calls and reads in the block are on that type; an untyped local gives none."""
    src = b"""
class Alerts(private val context: Context) {
    private val notificationManager: NotificationManagerCompat by lazy { NotificationManagerCompat.from(context) }
    private val tm: TelephonyManager = context.getSystemService(TelephonyManager::class.java)
    fun post(n: Notification) {
        with(notificationManager) { notify(1, n) }
        tm.run { imei }
        val count = 3
        with(count) { toString() }
    }
}
"""
    result = summarize("Alerts.kt", src, "kotlin")
    assert result.summary is not None
    typed = {(s.name, s.rtype) for s in result.summary.sites if s.receiver is None}
    assert ("notify", "NotificationManagerCompat") in typed
    assert ("imei", "TelephonyManager") in typed
    assert ("toString", None) in typed
