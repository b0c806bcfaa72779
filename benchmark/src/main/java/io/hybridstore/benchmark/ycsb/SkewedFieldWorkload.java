package io.hybridstore.benchmark.ycsb;

import site.ycsb.WorkloadException;
import site.ycsb.generator.NumberGenerator;
import site.ycsb.workloads.CoreWorkload;

import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * YCSB's core workload with one field updated far more often than the rest. The core workload picks the field of a
 * single-field update ({@code writeallfields=false}) uniformly, which gives a hot-field learner nothing to find;
 * here the first field ({@code field0}) is picked with probability {@code hotfieldproportion} (default 0.8) and the
 * others uniformly otherwise. Everything else is the core workload's.
 */
public final class SkewedFieldWorkload extends CoreWorkload {

    public static final String HOT_FIELD_PROPORTION_PROPERTY = "hotfieldproportion";

    @Override
    public void init(Properties p) throws WorkloadException {
        super.init(p);
        double share;
        try {
            share = Double.parseDouble(p.getProperty(HOT_FIELD_PROPORTION_PROPERTY, "0.8"));
        } catch (NumberFormatException e) {
            throw new WorkloadException(HOT_FIELD_PROPORTION_PROPERTY + " must be a number: " + e.getMessage());
        }
        if (!(share >= 0 && share <= 1)) {
            throw new WorkloadException(HOT_FIELD_PROPORTION_PROPERTY + " must be between 0 and 1, not " + share);
        }
        fieldchooser = new HotFieldChooser(fieldcount, share);
    }

    /** Field index 0 with probability {@code share}, else one of 1 … fieldCount - 1, uniformly. */
    static final class HotFieldChooser extends NumberGenerator {

        private final long fieldCount;
        private final double share;

        HotFieldChooser(long fieldCount, double share) {
            this.fieldCount = fieldCount;
            this.share = share;
        }

        @Override
        public Long nextValue() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long field = fieldCount == 1 || random.nextDouble() < share ? 0 : 1 + random.nextLong(fieldCount - 1);
            setLastValue(field);
            return field;
        }

        @Override
        public double mean() {
            return fieldCount == 1 ? 0 : (1 - share) * fieldCount / 2.0;
        }
    }
}
