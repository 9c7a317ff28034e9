package ai.calling.call.internal;

/** One turn of a conversation: who spoke ("assistant" or "user") and what was said. */
public record SpeakerSegment(String speaker, String text) {
}
