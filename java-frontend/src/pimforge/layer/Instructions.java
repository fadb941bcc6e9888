package pimforge.layer;

/** Factories for each instruction form (wait masks are left 0: {@link ProgramBuilder} sets them). */
final class Instructions {
  private Instructions() {}

  static Instruction hostIn(LayerStage s, int dst, int len, int repeat, int dstStep) {
    return new Instruction(Opcode.HOST_IN, s, 0, 0, repeat, 0, dst, 0, len, 0, dstStep, 0, 0, 0, 0, 0);
  }

  static Instruction hostOut(LayerStage s, int src, int len, int repeat, int srcStep) {
    return new Instruction(Opcode.HOST_OUT, s, 0, 0, repeat, src, 0, 0, len, srcStep, 0, 0, 0, 0, 0, 0);
  }

  static Instruction hostWeights(LayerStage s, int bank, int bankCount) {
    return new Instruction(Opcode.HOST_WEIGHTS, s, 0, 0, 1, 0, 0, 0, 0, 0, 0, bank, bankCount, 0, 0, 0);
  }

  /** weight(in, out) = in < rows && out < cols ? elem(src*lanes + in*rowStride + out*colStride) : 0. */
  static Instruction gather(LayerStage s, int bank, int src, int rows, int cols, int rowStride, int colStride) {
    return new Instruction(Opcode.GATHER_WEIGHTS, s, 0, 0, 1, src, 0, cols, rows, 0, 0, bank, 0, 0, rowStride, colStride);
  }

  static Instruction mvm(LayerStage s, int bank, int bankCount, int src, int len, int offset, int shift, int dst,
      int repeat, int srcStep, int dstStep, int flags, int bias) {
    return new Instruction(Opcode.MVM, s, 0, 0, repeat, src, dst, bias, len, srcStep, dstStep, bank, bankCount,
        shift, offset, flags);
  }

  static Instruction softmaxConfigure(LayerStage s, int src, int len) {
    return new Instruction(Opcode.SOFTMAX, s, 0, pimforge.golden.softmax.SoftmaxOp.CONFIGURE, 1, src, 0, 0, len, 0, 0, 0, 0,
        0, 0, 0);
  }

  /**
   * Row iteration it masks keys >= validKeys + it*validStep (validStep 1: causal rows) and subtracts
   * the ALiBi penalty with slope alibiM / 2^alibiShift per key back (alibiM 0: none).
   */
  static Instruction softmaxRows(LayerStage s, int src, int len, int validKeys, int validStep, int dst, int repeat,
      int srcStep, int dstStep, int alibiM, int alibiShift) {
    return new Instruction(Opcode.SOFTMAX, s, 0, pimforge.golden.softmax.SoftmaxOp.ROW, repeat, src, dst, alibiM, len,
        srcStep, dstStep, 0, 0, alibiShift, validKeys, validStep);
  }

  /** CONFIGURE or LOAD_NORM: a packet from the scratchpad. */
  static Instruction sfuPacket(LayerStage s, int cmd, int src, int len) {
    return new Instruction(Opcode.SFU, s, 0, cmd, 1, src, 0, 0, len, 0, 0, 0, 0, 0, 0, 0);
  }

  /** REQUANT, ACTIVATE, NORM. */
  static Instruction sfu(LayerStage s, int cmd, int src, int len, int dst, int repeat, int srcStep, int dstStep) {
    return new Instruction(Opcode.SFU, s, 0, cmd, repeat, src, dst, 0, len, srcStep, dstStep, 0, 0, 0, 0, 0);
  }

  /** MULTIPLY: sp[dst'+i] = a * b element-wise with a = sp[srcA'+i], b = sp[srcB'+i]. */
  static Instruction multiply(LayerStage s, int srcA, int srcB, int len, int dst, int repeat, int srcStep,
      int dstStep) {
    return new Instruction(Opcode.SFU, s, 0, pimforge.golden.sfu.SfuOp.MULTIPLY, repeat, srcA, dst, srcB, len,
        srcStep, dstStep, 0, 0, 0, 0, 0);
  }

  /**
   * ROTATE: rotary embedding, sp[dst'+i] = x cos + xRot sin with x = sp[srcA'+i], xRot = sp[srcB'+i]
   * at token position firstPosition + it.
   */
  /** ROTATE iteration it at position firstPosition + it, plus the POSITION register when {@code relative}. */
  static Instruction rotate(LayerStage s, int srcA, int srcB, int len, int dst, int repeat, int srcStep, int dstStep,
      int firstPosition, boolean relative) {
    return new Instruction(Opcode.SFU, s, 0, pimforge.golden.sfu.SfuOp.ROTATE, repeat, srcA, dst, srcB, len,
        srcStep, dstStep, 0, 0, 0, firstPosition, relative ? Instruction.POSITION_RELATIVE : 0);
  }

  /** KV, cmd = KvCacheOp, on KV head {@code head} (see Opcode.KV). */
  static Instruction kv(LayerStage s, int cmd, int head, int src, int src2, int dst, int repeat, int srcStep,
      int dstStep, int inShift, int outShift) {
    return new Instruction(Opcode.KV, s, 0, cmd, repeat, src, dst, src2, 0, srcStep, dstStep, head, 0, inShift,
        outShift, 0);
  }

  /** CAM, cmd = CamOp, on KV head {@code head}'s CAM unit (see Opcode.CAM). */
  static Instruction cam(LayerStage s, int cmd, int head, int src, int src2, int dst, int repeat, int srcStep,
      int dstStep, int len, int shift, int a, int b) {
    return new Instruction(Opcode.CAM, s, 0, cmd, repeat, src, dst, src2, len, srcStep, dstStep, head, 0, shift, a, b);
  }

  static Instruction residual(LayerStage s, int srcA, int srcB, int len, int dst, int repeat, int srcStep,
      int dstStep) {
    return new Instruction(Opcode.SFU, s, 0, pimforge.golden.sfu.SfuOp.RESIDUAL, repeat, srcA, dst, srcB, len,
        srcStep, dstStep, 0, 0, 0, 0, 0);
  }
}
