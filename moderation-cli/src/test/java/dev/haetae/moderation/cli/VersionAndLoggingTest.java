package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code haetae --version} and {@code --verbose}, in process. */
class VersionAndLoggingTest {
  private String savedLevel;

  @BeforeEach
  void saveLevel() {
    savedLevel = System.clearProperty(Haetae.LOG_LEVEL_PROPERTY);
  }

  @AfterEach
  void restoreLevel() {
    if (savedLevel == null) {
      System.clearProperty(Haetae.LOG_LEVEL_PROPERTY);
    } else {
      System.setProperty(Haetae.LOG_LEVEL_PROPERTY, savedLevel);
    }
  }

  @Test
  void versionIsTheBuildsVersion() {
    String expected = System.getProperty("haetae.expectedVersion");
    assertNotNull(expected, "the build passes the project's version as haetae.expectedVersion");
    CommandLine cli = Haetae.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("--version"));
    assertEquals("haetae " + expected, out.toString().strip());
  }

  @Test
  void verboseOnASubcommandLowersTheLevelToInfo() {
    Haetae.configureLogging(Haetae.commandLine().parseArgs("hash", "--verbose", "a.png"));
    assertEquals("info", System.getProperty(Haetae.LOG_LEVEL_PROPERTY));
  }

  @Test
  void verboseBeforeTheSubcommandLowersTheLevelToInfo() {
    Haetae.configureLogging(Haetae.commandLine().parseArgs("--verbose", "hash", "a.png"));
    assertEquals("info", System.getProperty(Haetae.LOG_LEVEL_PROPERTY));
  }

  @Test
  void withoutVerboseTheLevelIsLeftToTheDefault() {
    Haetae.configureLogging(Haetae.commandLine().parseArgs("hash", "a.png"));
    assertNull(System.getProperty(Haetae.LOG_LEVEL_PROPERTY));
  }

  @Test
  void aLevelSetOnTheJvmCommandLineIsKept() {
    System.setProperty(Haetae.LOG_LEVEL_PROPERTY, "debug");
    Haetae.configureLogging(Haetae.commandLine().parseArgs("--verbose", "hash", "a.png"));
    assertEquals("debug", System.getProperty(Haetae.LOG_LEVEL_PROPERTY));
  }
}
