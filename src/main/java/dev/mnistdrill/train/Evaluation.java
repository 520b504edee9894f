package dev.mnistdrill.train;

import dev.mnistdrill.data.Batch;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Accuracy, mean cross-entropy, confusion matrix and the predicted class of every digit of a test set.
 * {@code confusion[true][predicted]}.
 */
public record Evaluation(double accuracy, double loss, int[][] confusion, int[] predicted, int[] actual) {

    /** Evaluates {@code predictor} on prepared batches; stops early (returning null) when {@code cancelled}. */
    public static Evaluation of(Predictor predictor, List<Batch> batches, BooleanSupplier cancelled) {
        int total = batches.stream().mapToInt(Batch::size).sum();
        int[] predicted = new int[total];
        int[] actual = new int[total];
        int[][] confusion = new int[10][10];
        double lossSum = 0;
        int correct = 0;
        int offset = 0;
        for (Batch batch : batches) {
            if (cancelled.getAsBoolean()) {
                return null;
            }
            INDArray probabilities = predictor.output(batch.features());
            float[] p = probabilities.data().asFloat();
            for (int i = 0; i < batch.size(); i++) {
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    if (p[i * 10 + c] > p[i * 10 + best]) {
                        best = c;
                    }
                }
                int label = batch.digits()[i];
                lossSum -= Math.log(Math.max(p[i * 10 + label], 1e-12f));
                correct += best == label ? 1 : 0;
                confusion[label][best]++;
                predicted[offset + i] = best;
                actual[offset + i] = label;
            }
            offset += batch.size();
        }
        return new Evaluation((double) correct / total, lossSum / total, confusion, predicted, actual);
    }

    public int errors() {
        int errors = 0;
        for (int i = 0; i < predicted.length; i++) {
            errors += predicted[i] != actual[i] ? 1 : 0;
        }
        return errors;
    }
}
