package pimforge.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import pimforge.params.ParamError;

/** Reading user JSON files into Jackson trees, with one-line errors that name file, line and column. */
public final class JsonFiles {
  private JsonFiles() {}

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public static JsonNode readTree(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    JsonNode n = MAPPER.readTree(file.toFile());
    if (n == null || n.isMissingNode()) {
      throw new ParamError(file.toString(), "is empty, allowed a JSON object");
    }
    return n;
  }

  /**
   * Reads {@code file}, which must hold a JSON object; any problem is a one-line {@link ParamError}.
   *
   * @param expected what the object should be, for the error message
   */
  public static JsonNode readObject(Path file, String expected) {
    JsonNode root;
    try {
      root = readTree(file);
    } catch (IOException e) {
      throw toParamError(file, e);
    }
    if (!root.isObject()) {
      throw new ParamError(file.toString(), "is " + RecordSectionReader.describe(root) + ", allowed " + expected);
    }
    return root;
  }

  /** The one-line user error for a file that could not be read or parsed. */
  public static ParamError toParamError(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new ParamError(file.toString(), "no such file");
    }
    if (e instanceof JsonProcessingException j) {
      JsonLocation loc = j.getLocation();
      String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      String why = j.getOriginalMessage() == null ? "" : j.getOriginalMessage().lines().findFirst().orElse("");
      return new ParamError(file.toString(), "malformed JSON" + at + ": " + why);
    }
    return new ParamError(file.toString(), "cannot be read: " + e.getMessage());
  }
}
