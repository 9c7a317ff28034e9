package ai.calling.config;

/** The configured database cannot be used; carries the one-line explanation and what to do. */
public class DatabaseUnavailableException extends RuntimeException {

    private final String action;

    public DatabaseUnavailableException(String description, String action) {
        super(description);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
