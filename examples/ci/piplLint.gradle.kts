// pipl-lint in the Gradle build: `./gradlew piplLint`, and every module's `check` runs it too.
//
// Copy this file to gradle/piplLint.gradle.kts and apply it from the ROOT build.gradle.kts:
//     apply(from = "gradle/piplLint.gradle.kts")
//
// pipl-lint is a Python tool, not on PyPI: install it where Gradle runs from its repository (`pipx install
// "git+https://github.com/pipl-lint/pipl-lint@<full-commit-sha>"`, or a virtualenv and a clone) or
// point to it with -PpiplLintExecutable=/path/to/pipl-lint. Options:
//     -PpiplLintFormat=sarif|checkstyle|json|…   also write build/reports/pipl-lint/pipl-lint.<format>
//     -PpiplLintArgs="--baseline pipl-lint-baseline.json --fail-on warning"
// The task reads sources only; it does not need the project to be built.

val piplLintExecutable = providers.gradleProperty("piplLintExecutable").orElse("pipl-lint")
val piplLintFormat = providers.gradleProperty("piplLintFormat").orElse("text")
val piplLintArgs = providers.gradleProperty("piplLintArgs").orElse("")
val piplLintReportDir = layout.buildDirectory.dir("reports/pipl-lint")

val piplLint = tasks.register<Exec>("piplLint") {
    group = "verification"
    description = "Checks the app for personal-information-protection problems (PIPL, MIIT, Google Play)."
    workingDir = rootDir
    executable = piplLintExecutable.get()
    val format = piplLintFormat.get()
    val extra = piplLintArgs.get().split(" ").filter { it.isNotBlank() }
    if (format == "text") {
        args(listOf("check", ".", "--no-progress") + extra)
    } else {
        val ext = mapOf("sarif" to "sarif", "checkstyle" to "xml", "gitlab" to "json").getOrDefault(format, "txt")
        val report = piplLintReportDir.get().file("pipl-lint.$ext").asFile
        doFirst { report.parentFile.mkdirs() }
        args(listOf("check", ".", "--format", format, "--output", report.path) + extra)
        doLast { logger.lifecycle("pipl-lint report: ${report.path}") }
    }
    // Exit code 1 (findings at or above `fail-on`) and 2 (usage or internal error) fail the build.
}

subprojects {
    tasks.matching { it.name == "check" }.configureEach { dependsOn(piplLint) }
}
