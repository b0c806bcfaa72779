package io.hybridstore.systemtest;

import java.util.Random;

/** Test values: JSON objects of a given size whose bytes differ everywhere, so a misplaced shard cannot go unseen. */
final class Values {

    private Values() {
    }

    static String large(int approximateBytes, long seed) {
        Random random = new Random(seed);
        StringBuilder json = new StringBuilder("{\"seed\":").append(seed).append(",\"data\":\"");
        while (json.length() < approximateBytes) {
            json.append((char) ('a' + random.nextInt(26)));
        }
        return json.append("\"}").toString();
    }
}
