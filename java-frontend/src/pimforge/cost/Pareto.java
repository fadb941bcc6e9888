package pimforge.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Points not dominated in two objectives to minimize. */
public final class Pareto {
  private Pareto() {}

  public static <T> List<T> front(List<T> points, ToDoubleFunction<T> a, ToDoubleFunction<T> b) {
    List<T> out = new ArrayList<>();
    for (T p : points) {
      boolean dominated = false;
      for (T q : points) {
        if (q != p && a.applyAsDouble(q) <= a.applyAsDouble(p) && b.applyAsDouble(q) <= b.applyAsDouble(p)
            && (a.applyAsDouble(q) < a.applyAsDouble(p) || b.applyAsDouble(q) < b.applyAsDouble(p))) {
          dominated = true;
          break;
        }
      }
      if (!dominated) {
        out.add(p);
      }
    }
    return out;
  }
}
