package dev.mnistdrill.model;

/** The update rule. SGD uses Nesterov momentum 0.9, as the drill's PyTorch code does with SGD(momentum=0.9). */
public enum Optimizer {
    SGD, ADAM;

    public static Optimizer parse(String text) {
        for (Optimizer o : values()) {
            if (o.name().equalsIgnoreCase(text.trim())) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + text + "' (use sgd or adam)");
    }
}
