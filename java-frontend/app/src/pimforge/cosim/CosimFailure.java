package pimforge.cosim;

/** The simulator crashed, hung or broke the protocol. The message carries the replay hint. */
public final class CosimFailure extends RuntimeException {
  public CosimFailure(String message) {
    super(message);
  }
}
