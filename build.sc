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
}

/** Model import, policies, mapper, the parameter record, golden models, reports. No Chisel here. */
object `java-frontend` extends JavaModule {
  def ivyDeps = Agg(
    mvn"com.fasterxml.jackson.core:jackson-databind:${Versions.jackson}"
  )
  def javacOptions = Seq("-Xlint:unchecked", "-encoding", "UTF-8")

  /** The CLI and the flows that join frontend and hardware: generate, co-simulate, lint, synthesize. */
  object app extends JavaModule {
    def moduleDeps = Seq(`java-frontend`, hw)
    def ivyDeps = Agg(mvn"info.picocli:picocli:${Versions.picocli}")
    def mainClass = Some("pimforge.cli.PimforgeCli")
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
  def moduleDeps = Seq(`java-frontend`.app)
  def ivyDeps = super.ivyDeps() ++ Agg(
    mvn"org.junit.jupiter:junit-jupiter:${Versions.junit}"
  )
  def javacOptions = Seq("-encoding", "UTF-8")
  // Co-simulation builds are heavy; run test classes in one JVM, in order.
  def testSandboxWorkingDir = false
}
