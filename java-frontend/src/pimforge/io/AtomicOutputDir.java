package pimforge.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Writes a whole output folder or nothing: the content goes into a hidden temp folder next to the
 * target (same file system, so the final rename is cheap and atomic), which then replaces the
 * target. On any exception the temp folder is deleted, and so is a parent folder we created.
 */
public final class AtomicOutputDir {
  private AtomicOutputDir() {}

  /** Fills the given (empty, temporary) folder. */
  @FunctionalInterface
  public interface Content {
    void writeInto(Path dir) throws Exception;
  }

  /** Writes {@code content} and moves it to {@code target}; returns {@code target}. */
  public static Path write(Path target, Content content) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    Path createdRoot = firstMissing(parent);
    Files.createDirectories(parent);
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Path tmp = parent.resolve("." + abs.getFileName() + ".tmp-" + tag);
    Path old = parent.resolve("." + abs.getFileName() + ".old-" + tag);
    try {
      Files.createDirectory(tmp);
      content.writeInto(tmp);
      if (Files.exists(abs)) {
        Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(old);
      return target;
    } catch (Exception e) {
      deleteQuietly(tmp);
      if (Files.exists(old) && !Files.exists(abs)) {
        Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE); // put the previous version back
      }
      if (createdRoot != null) {
        deleteQuietly(createdRoot);
      }
      if (e instanceof IOException io) {
        throw io;
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e);
    }
  }

  /** Writes UTF-8 text, creating parent folders. */
  public static void writeText(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** The outermost ancestor of {@code dir} (or itself) that does not exist yet, or null. */
  private static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  private static void deleteQuietly(Path p) {
    try {
      deleteTree(p);
    } catch (IOException ignored) {
      // best effort: the original exception is the one worth reporting
    }
  }

  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Files.delete(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
