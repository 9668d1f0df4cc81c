package org.parley.contract;

/**
 * Why {@link Instants} reads by hand: java.time's formatter beside the hand-written reading, same input. Not a
 * test (timings are no assertion); run it with
 * {@code java -cp contract/target/classes:contract/target/test-classes:<jackson> org.parley.contract.InstantsBenchmark}.
 */
public final class InstantsBenchmark {
    private InstantsBenchmark() {
    }

    public static void main(String[] args) {
        String[] texts = new String[50_000];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "2025-10-24T03:00:0" + (i % 10) + ".123+09:00";
        }
        long sink = 0;
        for (int round = 0; round < 10; round++) {
            long t0 = System.nanoTime();
            for (String text : texts) {
                sink += Instants.reference(text).getNano();
            }
            long t1 = System.nanoTime();
            for (String text : texts) {
                sink += Instants.fast(text).getNano();
            }
            long t2 = System.nanoTime();
            if (round >= 5) { // after warm-up
                System.out.printf("java.time %.3f us, hand-written %.3f us per date-time%n",
                        (t1 - t0) / 1e3 / texts.length, (t2 - t1) / 1e3 / texts.length);
            }
        }
        System.out.println(sink == 0 ? "" : "done");
    }
}
