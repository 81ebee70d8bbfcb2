package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The members of a JSON object the record codecs build: an insertion-ordered map kept in an array
 * and searched linearly, with a hash index only once it grows past {@value #INDEXED} members. A
 * record is hundreds of small objects ({@code {"kid","p"}}, policy ids, actions), for which a
 * {@link java.util.LinkedHashMap} (Jackson's default) spent more time allocating and resizing its
 * table than the codecs spent on everything else. Behaves as an insertion-ordered map: put of an
 * existing key replaces its value in place; removal (also through the iterators) keeps the order of
 * the rest. Null keys are not allowed. Not thread-safe, like the tree it is part of.
 */
final class Members extends AbstractMap<String, JsonNode> {
  /** Above this many members, lookups go through a hash index. */
  static final int INDEXED = 32;

  private Entry[] entries = new Entry[4];
  private int size;
  private int modCount;
  private HashMap<String, Entry> index;

  /** A member: its name and value. */
  private static final class Entry implements Map.Entry<String, JsonNode> {
    final String key;
    final int hash;
    JsonNode value;

    Entry(String key, JsonNode value) {
      this.key = key;
      this.hash = key.hashCode();
      this.value = value;
    }

    @Override
    public String getKey() {
      return key;
    }

    @Override
    public JsonNode getValue() {
      return value;
    }

    @Override
    public JsonNode setValue(JsonNode v) {
      JsonNode old = value;
      value = v;
      return old;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && Objects.equals(value, e.getValue());
    }

    @Override
    public int hashCode() {
      return key.hashCode() ^ Objects.hashCode(value);
    }

    @Override
    public String toString() {
      return key + "=" + value;
    }
  }

  private Entry find(Object key) {
    if (index != null) {
      return index.get(key);
    }
    if (size == 0 || !(key instanceof String)) {
      return null;
    }
    int h = key.hashCode();
    for (int i = 0; i < size; i++) {
      Entry e = entries[i];
      if (e.hash == h && (e.key == key || e.key.equals(key))) {
        return e;
      }
    }
    return null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(Object key) {
    return find(key) != null;
  }

  @Override
  public JsonNode get(Object key) {
    Entry e = find(key);
    return e == null ? null : e.value;
  }

  @Override
  public JsonNode put(String key, JsonNode value) {
    Objects.requireNonNull(key, "key");
    Entry e = find(key);
    if (e != null) {
      return e.setValue(value);
    }
    if (size == entries.length) {
      entries = Arrays.copyOf(entries, 2 * size);
    }
    e = new Entry(key, value);
    entries[size++] = e;
    modCount++;
    if (index != null) {
      index.put(key, e);
    } else if (size > INDEXED) {
      index = new HashMap<>(2 * size);
      for (int i = 0; i < size; i++) {
        index.put(entries[i].key, entries[i]);
      }
    }
    return null;
  }

  @Override
  public JsonNode remove(Object key) {
    for (int i = 0; i < size; i++) {
      if (entries[i].key.equals(key)) {
        JsonNode old = entries[i].value;
        removeAt(i);
        return old;
      }
    }
    return null;
  }

  private void removeAt(int i) {
    Entry e = entries[i];
    System.arraycopy(entries, i + 1, entries, i, size - i - 1);
    entries[--size] = null;
    modCount++;
    if (index != null) {
      index.remove(e.key);
    }
  }

  @Override
  public void clear() {
    Arrays.fill(entries, 0, size, null);
    size = 0;
    modCount++;
    index = null;
  }

  @Override
  public Set<Map.Entry<String, JsonNode>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<String, JsonNode>> iterator() {
        return new Iterator<>() {
          private int next;
          private int expected = modCount;
          private boolean canRemove;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Map.Entry<String, JsonNode> next() {
            if (modCount != expected) {
              throw new ConcurrentModificationException();
            }
            if (next >= size) {
              throw new NoSuchElementException();
            }
            canRemove = true;
            return entries[next++];
          }

          @Override
          public void remove() {
            if (!canRemove) {
              throw new IllegalStateException();
            }
            if (modCount != expected) {
              throw new ConcurrentModificationException();
            }
            removeAt(--next);
            expected = modCount;
            canRemove = false;
          }
        };
      }
    };
  }
}
