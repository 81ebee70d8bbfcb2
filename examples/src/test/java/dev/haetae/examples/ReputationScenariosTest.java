package dev.haetae.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed reputation scenario files are what the generator writes, and stay small. */
class ReputationScenariosTest {
  @Test
  void committedScenarioFilesMatchTheGenerator() throws Exception {
    for (Map.Entry<String, List<String>> e : ReputationScenarios.all().entrySet()) {
      Path f = Path.of("scenarios").resolve(e.getKey());
      assertEquals(e.getValue(), Files.readAllLines(f, StandardCharsets.UTF_8),
          f + " differs from the generator; regenerate with ReputationScenarios");
      assertTrue(Files.size(f) < 200_000, f + " is " + Files.size(f) + " bytes");
    }
  }
}
