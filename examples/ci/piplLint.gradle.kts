// pipl-lint in the Gradle build: `./gradlew piplLint`, and every module's `check` runs it too.
//
// Copy this file to gradle/piplLint.gradle.kts and apply it from the ROOT build.gradle.kts:
//     apply(from = "gradle/piplLint.gradle.kts")
//
// pipl-lint is a Python tool, not on PyPI: install it where Gradle runs from its repository (`pipx install
// "git+https://github.com/pipl-lint/pipl-lint@<full-commit-sha>"`, or a virtualenv and a clone) or
// point to it with -PpiplLintExecutable=/path/to/pipl-lint. Options:
//     -PpiplLintFormat=sarif|checkstyle|json|…   write build/reports/pipl-lint/pipl-lint.<sarif|xml|json|txt>
//                                               instead (on failure the text report is printed too)
//     -PpiplLintArgs="--baseline pipl-lint-baseline.json --fail-on warning"
// The task reads sources only; it does not need the project to be built.

val piplLintExecutable = providers.gradleProperty("piplLintExecutable").orElse("pipl-lint")
val piplLintFormat = providers.gradleProperty("piplLintFormat").orElse("text")
val piplLintArgs = providers.gradleProperty("piplLintArgs").orElse("")
val piplLintReportDir = layout.buildDirectory.dir("reports/pipl-lint")

// The report file's extension for each --format (`pipl-lint check -h` lists them).
val piplLintExtensions = mapOf(
    "json" to "json", "sarif" to "sarif", "checkstyle" to "xml", "gitlab" to "json",
    "github" to "txt", "grouped" to "txt", "concise" to "txt", "text" to "txt",
)

val piplLint = tasks.register<Exec>("piplLint") {
    group = "verification"
    description = "Checks the app for personal-information-protection problems (PIPL, MIIT, Google Play)."
    workingDir = rootDir
    val executable = piplLintExecutable.get()
    val format = piplLintFormat.get()
    val extra = piplLintArgs.get().split(" ").filter { it.isNotBlank() }
    this.executable = executable
    if (format == "text") {
        args(listOf("check", ".", "--no-progress") + extra)
        // Exit code 1 (findings at or above `fail-on`) and 2 (usage or internal error) fail the build.
    } else {
        val ext = piplLintExtensions[format]
            ?: throw GradleException("piplLintFormat=$format: not a pipl-lint format (${piplLintExtensions.keys})")
        val report = piplLintReportDir.get().file("pipl-lint.$ext").asFile
        val root = rootDir
        doFirst { report.parentFile.mkdirs() }
        args(listOf("check", ".", "--no-progress", "--format", format, "--output", report.path) + extra)
        isIgnoreExitValue = true
        doLast {
            logger.lifecycle("pipl-lint report: ${report.path}")
            val code = executionResult.get().exitValue
            if (code != 0) {
                // The file is for tools; show people what failed, as text (a second run: answered from the cache).
                val text = providers.exec {
                    workingDir = root
                    commandLine(listOf(executable, "check", ".", "--no-progress", "--format", "text") + extra)
                    isIgnoreExitValue = true
                }
                logger.error(text.standardOutput.asText.get() + text.standardError.asText.get())
                throw GradleException("pipl-lint failed with exit code $code (1: findings, 2: usage or internal " +
                    "error); report: ${report.path}")
            }
        }
    }
}

subprojects {
    tasks.matching { it.name == "check" }.configureEach { dependsOn(piplLint) }
}
