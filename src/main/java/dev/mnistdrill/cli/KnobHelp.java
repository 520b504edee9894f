package dev.mnistdrill.cli;

import dev.mnistdrill.model.Knob;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line's help for the experiment knobs, taken from their descriptors ({@link Knob#help()}), so the
 * options say what the form's tooltips say. Picocli looks options up here by their {@code descriptionKey}.
 */
public final class KnobHelp extends java.util.ListResourceBundle {
    @Override
    protected Object[][] getContents() {
        List<Object[]> entries = new ArrayList<>();
        for (Knob k : Knob.values()) {
            entries.add(new Object[] {k.cliName(), k.help() + (k.range() == null ? "" : " (" + k.range().describe() + ")")});
        }
        return entries.toArray(Object[][]::new);
    }
}
