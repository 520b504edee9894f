package dev.mnistdrill.train;

/** One row of metrics.csv: accuracies are fractions (0.994 = 99.4%). */
public record EpochMetrics(int epoch, double trainAccuracy, double trainLoss, double testAccuracy, double testLoss,
                           double learningRate, double seconds, double imagesPerSecond) {
    public static final String CSV_HEADER =
            "epoch,train_accuracy,train_loss,test_accuracy,test_loss,learning_rate,seconds,images_per_second";

    public String toCsv() {
        return String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.8g,%.3f,%.1f", epoch, trainAccuracy,
                trainLoss, testAccuracy, testLoss, learningRate, seconds, imagesPerSecond);
    }

    public static EpochMetrics fromCsv(String line) {
        String[] f = line.split(",");
        if (f.length < 8) {
            throw new IllegalArgumentException("metrics row has " + f.length + " fields, expected 8: " + line);
        }
        return new EpochMetrics(Integer.parseInt(f[0].trim()), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                Double.parseDouble(f[6]), Double.parseDouble(f[7]));
    }
}
