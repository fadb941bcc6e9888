package pimforge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;

class DesignHashTest {
  private static final HwParams BERT = HwConfigReader.defaults(ModelPresets.get("bert-base").orElseThrow());

  @Test
  void equalParamsGiveEqualHashes() {
    HwParams again = HwConfigReader.defaults(ModelPresets.get("bert-base").orElseThrow());
    assertEquals(DesignHash.of(BERT), DesignHash.of(again));
    assertTrue(DesignHash.of(BERT).matches("[0-9a-f]{64}"));
    assertEquals(DesignHash.of(BERT).substring(0, 8), DesignHash.hash8(DesignHash.of(BERT)));
  }

  @Test
  void anyChangeChangesTheHash() {
    assertNotEquals(DesignHash.of(BERT), DesignHash.of(BERT.withCrossbar(new CrossbarParams(128, 128, 16))));
    assertNotEquals(DesignHash.of(BERT), DesignHash.of(BERT, "9.9.9"), "tool version is part of the hash");
  }

  @Test
  void canonicalJsonHasSortedKeysAtEveryLevel() {
    assertSorted(CanonicalJson.tree(BERT));
    assertTrue(CanonicalJson.tree(BERT).has("derived"));
  }

  private static void assertSorted(JsonNode n) {
    if (n.isObject()) {
      List<String> keys = new ArrayList<>();
      n.fieldNames().forEachRemaining(keys::add);
      List<String> sorted = new ArrayList<>(keys);
      sorted.sort(null);
      assertEquals(sorted, keys);
      n.forEach(DesignHashTest::assertSorted);
    }
  }

  @Test
  void designJsonCarriesHashAndRoundTripsTheParams() throws Exception {
    DesignId id = DesignId.of(BERT, "PimBank");
    JsonNode d = new ObjectMapper().readTree(DesignJson.text(BERT, id));
    assertEquals(id.hash(), d.get("hash").asText());
    assertEquals("PimBank", d.get("top").asText());
    assertEquals(ToolVersion.VERSION, d.get("toolVersion").asText());
    assertEquals(768, d.at("/model/hiddenSize").asInt());
    assertEquals(BERT.derived().accumulatorBits(), d.at("/derived/accumulatorBits").asInt());
  }
}
