/**
 * The layer top: one Transformer layer as a small programmable accelerator.
 *
 * <p>Contract (shared with the RTL): {@link pimforge.layer.Opcode} (instruction semantics),
 * {@link pimforge.layer.Engine}, {@link pimforge.layer.Instruction} (encoding),
 * {@link pimforge.layer.LayerStage}, {@link pimforge.layer.LayerRegisters},
 * {@link pimforge.layer.LayerPlan} (lanes, element bits, bank roles, scratchpad words, program depth).
 *
 * <p>Golden side:
 * <ul>
 *   <li>{@link pimforge.layer.LayerMachineModel}: bit-exact interpreter of programs (sequential
 *       order = what any schedule obeying the wait masks computes), on the unit golden models.
 *   <li>{@link pimforge.layer.ProgramBuilder}: wait masks from each instruction's
 *       {@link pimforge.layer.Footprint} (scratchpad words, banks, streams, unit registers).
 *   <li>{@link pimforge.layer.LayerCompiler}: a {@link pimforge.layer.QuantizedLayer} into a
 *       {@link pimforge.layer.CompiledLayer} (setup program + beats, layer program + beats), with the
 *       scratchpad allocation of {@link pimforge.layer.ScratchLayout}.
 *   <li>{@link pimforge.layer.FloatLayer} (double reference), {@link pimforge.layer.LayerQuantizer}
 *       (calibration from a float pass) and {@link pimforge.layer.RandomLayers} (random realistic layers).
 * </ul>
 *
 * <p>Readings of Opcode.java that the interpreter fixes (the RTL must agree):
 * <ul>
 *   <li>MVM bias: {@code sp[src2 + k*outBeats + j]} does not step with the iteration (one bias for
 *       every token); only src and dst step.
 *   <li>MVM: bank k's output words go to dst' + k*outBeats (k counted from 0 within the instruction).
 *   <li>SFU element-wise commands and NORM may run in place (dst = src); the compiler relies on it.
 *   <li>XBAR_WRITES counts whole banks: bankInputs * bankOutputs per HOST_WEIGHTS bank and per
 *       GATHER_WEIGHTS (zeros included).
 *   <li>SOFTMAX configure takes the low scaleBits of element 0 and the low shiftBits of element 1;
 *       SFU CONFIGURE / LOAD_NORM packets are sat(accBits) elements like every SFU input.
 *   <li>HOST_IN stores each s_axis element as its low elementBits (two's complement).
 * </ul>
 */
package pimforge.layer;
