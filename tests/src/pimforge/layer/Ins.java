package pimforge.layer;

/** Readable construction of hand-written test programs: new Ins(op, stage).src(..).len(..).build(). */
final class Ins {
  private final Opcode op;
  private final LayerStage stage;
  private int waitMask;
  private int cmd;
  private int repeat = 1;
  private int src;
  private int dst;
  private int src2;
  private int len;
  private int srcStep;
  private int dstStep;
  private int bank;
  private int bankCount;
  private int shift;
  private int a;
  private int b;

  Ins(Opcode op, LayerStage stage) {
    this.op = op;
    this.stage = stage;
  }

  Ins waitFor(Engine... engines) {
    for (Engine e : engines) {
      waitMask |= 1 << e.bit();
    }
    return this;
  }

  Ins cmd(int v) { cmd = v; return this; }
  Ins repeat(int v) { repeat = v; return this; }
  Ins src(int v) { src = v; return this; }
  Ins dst(int v) { dst = v; return this; }
  Ins src2(int v) { src2 = v; return this; }
  Ins len(int v) { len = v; return this; }
  Ins srcStep(int v) { srcStep = v; return this; }
  Ins dstStep(int v) { dstStep = v; return this; }
  Ins banks(int first, int count) { bank = first; bankCount = count; return this; }
  Ins shift(int v) { shift = v; return this; }
  Ins a(int v) { a = v; return this; }
  Ins b(int v) { b = v; return this; }

  Instruction build() {
    return new Instruction(op, stage, waitMask, cmd, repeat, src, dst, src2, len, srcStep, dstStep, bank, bankCount,
        shift, a, b);
  }
}
