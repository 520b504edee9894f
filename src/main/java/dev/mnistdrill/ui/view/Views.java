package dev.mnistdrill.ui.view;

import dev.mnistdrill.ui.WorkbenchContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Loads the FXML views, giving every controller (including those of fx:include) the shared context. */
public final class Views {
    private Views() {
    }

    public static FXMLLoader loader(String fxml, WorkbenchContext context) {
        FXMLLoader loader = new FXMLLoader(Views.class.getResource("/dev/mnistdrill/ui/" + fxml));
        loader.setControllerFactory(type -> {
            try {
                for (Constructor<?> c : type.getConstructors()) {
                    if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == WorkbenchContext.class) {
                        return c.newInstance(context);
                    }
                }
                return type.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create controller " + type.getName(), e);
            }
        });
        return loader;
    }

    public static Parent load(String fxml, WorkbenchContext context) {
        try {
            return loader(fxml, context).load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + fxml, e);
        }
    }
}
