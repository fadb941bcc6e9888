package pimforge.kvcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.params.HwParams;
import pimforge.ports.StreamPorts;
import pimforge.report.CHeader;
import pimforge.report.DesignId;
import pimforge.report.DesignJson;

/**
 * The KV-cache controller's design.json fields and C header: a C program built with gcc prints the
 * header's command codes, word indices, layout values and record addresses, which must equal the
 * Java definitions the RTL and the golden model use.
 */
class KvCacheHeaderTest {
  @TempDir
  Path tmp;

  private static final HwParams P = KvCacheConfigs.CONFIGS.get(1); // HEAVY_HITTER, tiny-llama

  @Test
  void designJsonCarriesTheLayoutsDerivedValues() throws Exception {
    KvCacheLayout l = KvCacheLayout.of(P);
    JsonNode j = new ObjectMapper().readTree(DesignJson.text(P, DesignId.of(P, StreamPorts.KV_CACHE_TOP)));
    assertEquals(l.keyStrideBytes(), j.at("/kvCacheDerived/keyStrideBytes").asLong());
    assertEquals(l.valueBase(), j.at("/kvCacheDerived/valueBase").asLong());
    assertEquals(l.addressBits(), j.at("/kvCacheDerived/addressBits").asInt());
    assertEquals(l.derivedValues().size(), j.get("kvCacheDerived").size());
    JsonNode other = new ObjectMapper().readTree(DesignJson.text(P, DesignId.of(P, "PimBank")));
    assertFalse(other.has("kvCacheDerived"), "only the controller's design.json");
  }

  @Test
  void countersAreInTheirRecordsComponentOrder() {
    KvCacheModel.Counters c = new KvCacheModel.Counters(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, c.words());
    assertEquals(c, KvCacheModel.Counters.of(c.words()));
    assertEquals(KvCacheModel.Counters.WORDS, KvCacheModel.Counters.class.getRecordComponents().length);
    assertEquals(KvCacheLayout.APPEND_RESULT_WORDS, KvCacheOp.APPEND_RESULT_FIELDS.size());
  }

  @Test
  void headerCompilesAndCarriesTheJavaValues() throws Exception {
    KvCacheLayout l = KvCacheLayout.of(P);
    Files.writeString(tmp.resolve("params.h"), CHeader.text(P, DesignId.of(P, StreamPorts.KV_CACHE_TOP)));
    List<String> names = List.of("PIMFORGE_KV_OP_APPEND", "PIMFORGE_KV_OP_SCORES", "PIMFORGE_KV_OP_CONTEXT",
        "PIMFORGE_KV_OP_COUNTERS", "PIMFORGE_KV_OP_BITS", "PIMFORGE_KV_OUTCOME_REFUSED",
        "PIMFORGE_KV_APPEND_WORD_EVICTED_POSITION", "PIMFORGE_KV_COUNTER_BYTES_READ", "PIMFORGE_KV_COUNTER_OVERFLOW",
        "PIMFORGE_KV_CACHE_DERIVED_KEY_STRIDE_BYTES", "PIMFORGE_KV_CACHE_DERIVED_ADDRESS_BITS",
        "PIMFORGE_KV_CACHE_DERIVED_MASK_SCORE", "PIMFORGE_KV_CACHE_POLICY_HEAVY_HITTER",
        "PIMFORGE_KV_KEY_RECORD_ADDRESS(3)", "PIMFORGE_KV_VALUE_RECORD_ADDRESS(5)");
    long[] want = {KvCacheOp.APPEND, KvCacheOp.SCORES, KvCacheOp.CONTEXT, KvCacheOp.COUNTERS, KvCacheOp.BITS,
        KvCacheOp.OUTCOME_REFUSED, 2, 7, 9, l.keyStrideBytes(), l.addressBits(), l.maskScore(), 1,
        3 * l.keyStrideBytes(), l.valueBase() + 5 * l.valueStrideBytes()};
    assertPrints(names, want);
  }

  /** A layer top with kvCache.enabled: its header carries the KV commands, the head address split and POSITION. */
  @Test
  void layerTopHeaderCarriesTheKvEngineValues() throws Exception {
    HwParams p = pimforge.TestSupport.design("tiny-llama", "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4},"
        + " \"attention\": {\"maxSeqLen\": 8}, \"kvCache\": {\"enabled\": true, \"policy\": \"SLIDING_WINDOW\","
        + " \"budgetTokens\": 8, \"windowTokens\": 8, \"groupSize\": 4, \"fullPrecisionTokens\": 4}}");
    Files.writeString(tmp.resolve("params.h"), CHeader.text(p, DesignId.of(p, "LayerTop")));
    List<String> names = List.of("PIMFORGE_OP_KV", "PIMFORGE_KV_OP_CONTEXT", "PIMFORGE_KV_HEAD_ADDRESS_BITS",
        "PIMFORGE_KV_M_AXI_ADDRESS_BITS", "PIMFORGE_REG_POSITION", "PIMFORGE_STATUS_KV_OVERFLOW",
        "PIMFORGE_INSN_FLAG_POSITION_RELATIVE", "PIMFORGE_KV_VALUE_RECORD_ADDRESS(2)");
    KvCacheLayout l = KvCacheLayout.of(p);
    long[] want = {pimforge.layer.Opcode.KV.code(), KvCacheOp.CONTEXT, l.addressBits(),
        KvCacheLayout.layerTopAddressBits(p), pimforge.layer.LayerRegisters.POSITION,
        pimforge.layer.LayerRegisters.STATUS_KV_OVERFLOW, pimforge.layer.Instruction.POSITION_RELATIVE,
        l.valueBase() + 2 * l.valueStrideBytes()};
    assertPrints(names, want);
  }

  /** Compiles a C program (gcc -Wall -Werror) that prints each named expression of params.h; they must equal want. */
  private void assertPrints(List<String> names, long[] want) throws Exception {
    StringBuilder c = new StringBuilder("#include <stdint.h>\n#include <stdio.h>\n#include \"params.h\"\nint main(void) {\n");
    for (String n : names) {
      c.append("  printf(\"%lld\\n\", (long long)(").append(n).append("));\n");
    }
    c.append("  return 0;\n}\n");
    Files.writeString(tmp.resolve("print.c"), c);
    run("gcc", "-std=c99", "-Wall", "-Werror", "-o", "print", "print.c");
    List<String> got = run(tmp.resolve("print").toString()).lines().toList();
    for (int i = 0; i < names.size(); i++) {
      assertEquals(Long.toString(want[i]), got.get(i), names.get(i));
    }
  }

  private String run(String... cmd) throws Exception {
    Process pr = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
    String out = new String(pr.getInputStream().readAllBytes());
    assertEquals(0, pr.waitFor(), String.join(" ", cmd) + ":\n" + out);
    return out;
  }
}
