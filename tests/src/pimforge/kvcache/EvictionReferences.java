package pimforge.kvcache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Independent references of the token-eviction policies, written from the papers' definitions and
 * the authors' public code (REFERENCE.md sections 2 and 5) with list/set semantics over token
 * indices and double scores; they share no code with {@link KvEvictionModel}. Step order as the
 * golden model documents it: a token is added (and the policy applied to the resulting list), then
 * the step's attention probabilities are added to the scores.
 */
final class EvictionReferences {
  private EvictionReferences() {}

  /** A policy as a function of the whole history: which token indices are cached after each step. */
  interface Reference {
    /** Adds token {@code t}; returns the tokens cached afterwards, ascending. */
    List<Integer> add(int t);

    /** Adds {@code p.get(token)} to each cached token's score (H2O only; others ignore it). */
    default void attend(Map<Integer, Double> p) {}

    /** Tokens refused (FULL only). */
    default int refused() {
      return 0;
    }
  }

  /** Full cache with a hard budget: the first {@code budget} tokens; later ones are refused. */
  static Reference full(int budget) {
    return new Reference() {
      final List<Integer> cache = new ArrayList<>();
      int refused;

      @Override
      public List<Integer> add(int t) {
        if (cache.size() < budget) {
          cache.add(t);
        } else {
          refused++;
        }
        return List.copyOf(cache);
      }

      @Override
      public int refused() {
        return refused;
      }
    };
  }

  /** Sliding window: {@code history[-W:]}. */
  static Reference slidingWindow(int window) {
    return sinksWindow(0, window);
  }

  /**
   * StreamingLLM's start-recent cache: {@code history[:S] + history[-W:]} (the kv_cache slicing of
   * StartRecentKVCache: keep [0, start_size) and [seq_len - recent_size, seq_len)).
   */
  static Reference sinksWindow(int sinks, int window) {
    return new Reference() {
      final List<Integer> history = new ArrayList<>();

      @Override
      public List<Integer> add(int t) {
        history.add(t);
        int n = history.size();
        Set<Integer> kept = new TreeSet<>();
        if (n <= sinks + window) {
          kept.addAll(history);
        } else {
          kept.addAll(history.subList(0, sinks));
          kept.addAll(history.subList(n - window, n));
        }
        return List.copyOf(kept);
      }
    };
  }

  /**
   * H2O (heavy-hitter oracle, H2OKVCache_LayerWise): with cache size = heavy + recent, when the
   * cache holds more than that, keep the {@code recent} newest tokens and, among the rest, the
   * {@code heavy} highest accumulated scores (ties: the newer token kept, i.e. the older evicted);
   * scores are the sums of post-softmax probabilities, in double.
   */
  static Reference heavyHitter(int budget, int recent) {
    int heavy = budget - recent;
    return new Reference() {
      final List<Integer> cache = new ArrayList<>(); // time order
      final Map<Integer, Double> score = new HashMap<>();

      @Override
      public List<Integer> add(int t) {
        cache.add(t);
        score.put(t, 0.0);
        if (cache.size() > budget) {
          List<Integer> old = new ArrayList<>(cache.subList(0, cache.size() - recent));
          List<Integer> ranked = new ArrayList<>(old);
          ranked.sort(Comparator.<Integer>comparingDouble(score::get).reversed()
              .thenComparing(Comparator.<Integer>reverseOrder()));
          Set<Integer> keep = new LinkedHashSet<>(ranked.subList(0, heavy));
          for (int tok : old) {
            if (!keep.contains(tok)) {
              cache.remove(Integer.valueOf(tok));
              score.remove(tok);
            }
          }
        }
        List<Integer> r = new ArrayList<>(cache);
        r.sort(null);
        return r;
      }

      @Override
      public void attend(Map<Integer, Double> p) {
        for (int tok : cache) {
          score.merge(tok, p.getOrDefault(tok, 0.0), Double::sum);
        }
      }
    };
  }
}
