package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Members} must behave as the insertion-ordered map Jackson's objects use by default: seeded
 * random sequences of operations run against both, below and above the size where it starts a hash
 * index, and every observation is compared.
 */
class MembersTest {
  @Test
  void behavesAsALinkedHashMapUnderRandomOperations() {
    Random r = new Random(5150);
    for (int run = 0; run < 400; run++) {
      Members m = new Members();
      Map<String, JsonNode> ref = new LinkedHashMap<>();
      int keys = 1 + r.nextInt(run % 2 == 0 ? 8 : 3 * Members.INDEXED);
      int ops = 1 + r.nextInt(300);
      for (int i = 0; i < ops; i++) {
        String k = "k" + r.nextInt(keys);
        JsonNode v = IntNode.valueOf(r.nextInt(1000));
        switch (r.nextInt(8)) {
          case 0, 1, 2 -> assertEquals(ref.put(k, v), m.put(k, v), k);
          case 3 -> assertEquals(ref.remove(k), m.remove(k), k);
          case 4 -> {
            assertEquals(ref.get(k), m.get(k), k);
            assertEquals(ref.containsKey(k), m.containsKey(k), k);
          }
          case 5 -> { // remove every member whose value is even, through the iterator
            Iterator<Map.Entry<String, JsonNode>> it = m.entrySet().iterator();
            while (it.hasNext()) {
              if (it.next().getValue().intValue() % 2 == 0) {
                it.remove();
              }
            }
            ref.values().removeIf(x -> x.intValue() % 2 == 0);
          }
          case 6 -> { // setValue through an entry
            for (Map.Entry<String, JsonNode> e : m.entrySet()) {
              if (e.getKey().equals(k)) {
                e.setValue(v);
              }
            }
            ref.computeIfPresent(k, (key, old) -> v);
          }
          default -> {
            if (r.nextInt(20) == 0) {
              m.clear();
              ref.clear();
            }
          }
        }
        assertEquals(ref.size(), m.size());
      }
      assertEquals(new ArrayList<>(ref.entrySet()), new ArrayList<>(m.entrySet()), "order, run " + run);
      assertEquals(ref, m);
      assertEquals(m, ref);
      assertEquals(ref.hashCode(), m.hashCode());
      for (int k = 0; k < keys; k++) {
        assertEquals(ref.get("k" + k), m.get("k" + k));
      }
    }
  }

  @Test
  void iteratorsFailFastAndRefuseWhatAMapIteratorRefuses() {
    Members m = new Members();
    m.put("a", IntNode.valueOf(1));
    m.put("b", IntNode.valueOf(2));
    Iterator<Map.Entry<String, JsonNode>> it = m.entrySet().iterator();
    assertThrows(IllegalStateException.class, it::remove);
    it.next();
    m.put("c", IntNode.valueOf(3));
    assertThrows(ConcurrentModificationException.class, it::next);
    Iterator<Map.Entry<String, JsonNode>> all = m.entrySet().iterator();
    List<String> seen = new ArrayList<>();
    while (all.hasNext()) {
      seen.add(all.next().getKey());
    }
    assertEquals(List.of("a", "b", "c"), seen);
    assertThrows(NoSuchElementException.class, all::next);
    assertThrows(NullPointerException.class, () -> m.put(null, IntNode.valueOf(0)));
    assertEquals(null, m.get(42));
  }
}
