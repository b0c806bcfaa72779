package io.hybridstore.benchmark.ycsb;

import org.junit.jupiter.api.Test;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;
import site.ycsb.WorkloadException;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class SkewedFieldWorkloadTest {

    @Test
    void singleFieldUpdatesGoToTheFirstFieldAtItsShareAndToTheOthersEvenly() throws WorkloadException {
        Properties properties = new Properties();
        properties.setProperty("recordcount", "100");
        properties.setProperty("fieldcount", "10");
        properties.setProperty(SkewedFieldWorkload.HOT_FIELD_PROPORTION_PROPERTY, "0.8");
        SkewedFieldWorkload workload = new SkewedFieldWorkload();
        workload.init(properties);
        Map<String, Integer> updatesByField = new HashMap<>();
        DB db = new DB() {
            @Override
            public Status update(String table, String key, Map<String, ByteIterator> values) {
                assertThat(values).hasSize(1);
                values.keySet().forEach(field -> updatesByField.merge(field, 1, Integer::sum));
                return Status.OK;
            }

            @Override
            public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
                return Status.OK;
            }

            @Override
            public Status scan(String table, String startkey, int recordcount, Set<String> fields,
                               Vector<HashMap<String, ByteIterator>> result) {
                return Status.OK;
            }

            @Override
            public Status insert(String table, String key, Map<String, ByteIterator> values) {
                return Status.OK;
            }

            @Override
            public Status delete(String table, String key) {
                return Status.OK;
            }
        };
        int updates = 100_000;
        for (int i = 0; i < updates; i++) {
            workload.doTransactionUpdate(db);
        }

        assertThat(updatesByField).hasSize(10);
        assertThat(updatesByField.get("field0") / (double) updates).isCloseTo(0.8, offset(0.01));
        for (int field = 1; field < 10; field++) {
            assertThat(updatesByField.get("field" + field) / (double) updates).as("field%d", field)
                    .isCloseTo(0.2 / 9, offset(0.004));
        }
    }

    @Test
    void aRecordOfOneFieldAlwaysUpdatesIt() {
        SkewedFieldWorkload.HotFieldChooser chooser = new SkewedFieldWorkload.HotFieldChooser(1, 0.3);

        for (int i = 0; i < 1000; i++) {
            assertThat(chooser.nextValue()).isEqualTo(0L);
        }
    }

    @Test
    void aProportionOutsideZeroToOneIsRefused() {
        Properties properties = new Properties();
        properties.setProperty(SkewedFieldWorkload.HOT_FIELD_PROPORTION_PROPERTY, "1.5");

        assertThatThrownBy(() -> new SkewedFieldWorkload().init(properties)).isInstanceOf(WorkloadException.class)
                .hasMessageContaining("between 0 and 1");
    }
}
