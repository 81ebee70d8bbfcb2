package dev.haetae.moderation.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the IDE metadata ({@code META-INF/spring-configuration-metadata.json}) names exactly the
 * properties {@link HaetaeProperties} binds, with the binder's types and defaults and a description
 * each, so that IDEs complete {@code haetae.*} and explain it.
 */
class ConfigurationMetadataTest {

  static JsonNode metadata() throws IOException {
    try (InputStream in = HaetaeProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertNotNull(in, "META-INF/spring-configuration-metadata.json is not on the class path");
      return new ObjectMapper().readTree(in);
    }
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  /** The properties a binder fills, by walking the JavaBean: name to its Java type. */
  static void walk(String prefix, Class<?> type, Map<String, Class<?>> out) throws IntrospectionException {
    for (PropertyDescriptor p : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
      if (p.getWriteMethod() == null) {
        continue;
      }
      String name = prefix + "." + kebab(p.getName());
      Class<?> t = p.getPropertyType();
      if (t == HaetaeProperties.PseudonymKey.class || t == HaetaeProperties.Postgres.class) {
        walk(name, t, out);
      } else {
        out.put(name, t);
      }
    }
  }

  static String boxed(Class<?> t) {
    if (t == boolean.class) {
      return "java.lang.Boolean";
    }
    if (t == int.class) {
      return "java.lang.Integer";
    }
    return t.getName();
  }

  @Test
  void everyPropertyIsDescribedWithItsTypeAndDefault() throws Exception {
    Map<String, Class<?>> bound = new TreeMap<>();
    walk("haetae", HaetaeProperties.class, bound);
    JsonNode md = metadata();
    Map<String, JsonNode> described = new TreeMap<>();
    for (JsonNode p : md.get("properties")) {
      described.put(p.get("name").asText(), p);
    }
    TreeSet<String> expected = new TreeSet<>(bound.keySet());
    expected.add("haetae.enabled"); // read by the starters' condition, not by the bean
    assertEquals(expected, described.keySet(), "the metadata and HaetaeProperties");
    for (Map.Entry<String, JsonNode> e : described.entrySet()) {
      JsonNode p = e.getValue();
      String description = p.path("description").asText("");
      assertTrue(description.length() > 20 && description.endsWith("."), e.getKey() + ": " + description);
      assertTrue(!description.contains("{@"), e.getKey() + ": javadoc markup in " + description);
      Class<?> t = bound.get(e.getKey());
      if (t != null && t != List.class) {
        assertEquals(boxed(t), p.get("type").asText(), e.getKey());
      }
    }
    assertEquals("java.util.List<dev.haetae.moderation.spring.HaetaeProperties$Bank>",
        described.get("haetae.banks").get("type").asText());
    HaetaeProperties.Postgres defaults = new HaetaeProperties.Postgres();
    assertEquals(defaults.getSchema(), described.get("haetae.postgres.schema").get("defaultValue").asText());
    assertEquals(defaults.isMigrate(), described.get("haetae.postgres.migrate").get("defaultValue").asBoolean());
    assertEquals(defaults.getMaxPoolSize(), described.get("haetae.postgres.max-pool-size").get("defaultValue").asInt());
    assertTrue(described.get("haetae.enabled").get("defaultValue").asBoolean());
    for (JsonNode g : md.get("groups")) {
      assertTrue(g.get("type").asText().startsWith(HaetaeProperties.class.getName()), g.toString());
      Class.forName(g.get("type").asText()); // names a real class
    }
  }
}
