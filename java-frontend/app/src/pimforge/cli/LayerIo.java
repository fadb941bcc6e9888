package pimforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import pimforge.params.ParamError;

/**
 * The layer stimulus and results of {@code simulate --input/--dump}: a JSON array of token vectors
 * ({@code seq x hidden} floats, the layer input in the model's units, before quantization).
 */
final class LayerIo {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private LayerIo() {}

  /**
   * Reads {@code file}: 1..maxSeq rows of exactly {@code hidden} finite numbers. Any other content
   * is a ParamError naming {@code option}, the row and what is allowed.
   */
  static double[][] readTokens(String option, Path file, int hidden, int maxSeq) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new ParamError(option, "no such file " + file);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ParamError(option, file + " is not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new ParamError(option, "cannot read " + file + " (" + e.getMessage() + ")");
    }
    if (root == null || !root.isArray() || root.isEmpty() || root.size() > maxSeq) {
      throw new ParamError(option, "must be a JSON array of 1.." + maxSeq + " token vectors (attention.maxSeqLen),"
          + " each an array of " + hidden + " numbers (model.hiddenSize)"
          + (root != null && root.isArray() ? "; it has " + root.size() + " tokens" : ""));
    }
    double[][] x = new double[root.size()][hidden];
    for (int t = 0; t < x.length; t++) {
      JsonNode row = root.get(t);
      if (!row.isArray() || row.size() != hidden) {
        throw new ParamError(option, "token " + t + " has " + (row.isArray() ? row.size() + " values" : "no array")
            + ", allowed an array of " + hidden + " numbers (model.hiddenSize)");
      }
      for (int c = 0; c < hidden; c++) {
        JsonNode v = row.get(c);
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
          throw new ParamError(option, "token " + t + " element " + c + " is " + v + ", allowed a finite number");
        }
        x[t][c] = v.doubleValue();
      }
    }
    return x;
  }

  /**
   * Writes the hardware, golden-model and float-reference outputs ({@code seq x hidden} each, in
   * the layer input's units) to {@code file} atomically (a temporary file renamed into place).
   */
  static void writeOutputs(Path file, String design, long seed, double[][] input, double[][] hardware,
      double[][] golden, double[][] reference, boolean bitExact) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("design", design);
    root.put("seed", seed);
    root.put("seq", input.length);
    root.put("hidden", input[0].length);
    root.put("bitExact", bitExact);
    root.set("input", matrix(input));
    root.set("hardware", matrix(hardware));
    root.set("golden", matrix(golden));
    root.set("floatReference", matrix(reference));
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), root);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static ArrayNode matrix(double[][] m) {
    ArrayNode a = JSON.createArrayNode();
    for (double[] row : m) {
      ArrayNode r = a.addArray();
      for (double v : row) {
        r.add(v);
      }
    }
    return a;
  }
}
