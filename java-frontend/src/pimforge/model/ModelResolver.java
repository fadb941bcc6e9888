package pimforge.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/** Turns the user's --model argument (a preset name or a config.json path) into a ModelShape. */
public final class ModelResolver {
  private ModelResolver() {}

  public static ModelShape resolve(String presetOrPath) {
    if (presetOrPath == null || presetOrPath.isBlank()) {
      throw new ParamError("--model", "is empty, allowed a preset (" + ModelPresets.namesList()
          + ") or a path to a Hugging Face config.json");
    }
    var preset = ModelPresets.get(presetOrPath);
    if (preset.isPresent()) {
      return preset.get();
    }
    Path p;
    try {
      p = Paths.get(presetOrPath);
    } catch (java.nio.file.InvalidPathException e) {
      p = null;
    }
    if (p != null && Files.isDirectory(p)) {
      Path inside = p.resolve("config.json");
      if (!Files.isRegularFile(inside)) {
        throw new ParamError("--model", "folder '" + presetOrPath + "' holds no config.json");
      }
      return HfConfigImporter.read(inside);
    }
    if (p != null && Files.isRegularFile(p)) {
      return HfConfigImporter.read(p);
    }
    throw new ParamError("--model", "'" + presetOrPath + "' is neither a preset nor an existing file;"
        + " allowed a preset (" + ModelPresets.namesList() + ") or a path to a Hugging Face config.json");
  }
}
