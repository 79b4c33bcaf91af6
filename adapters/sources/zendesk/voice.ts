// PURE: a voice comment (`VoiceComment`, `TpeVoiceComment`) carries its call in `data` and may have no body;
// the note we stage says what the call was, so the ticket's history keeps it.
import { show } from './to-canonical.js'

const LABELS: readonly (readonly [string, string])[] = [
  ['direction', 'Direction'], ['from', 'From'], ['to', 'To'], ['call_duration', 'Duration (s)'], ['started_at', 'Started'],
  ['answered_by_name', 'Answered by'], ['location', 'Location'], ['recording_url', 'Recording'], ['transcription_text', 'Transcription'],
]

export function voiceBody(data: Readonly<Record<string, unknown>>): string {
  const title = show(data.title) ?? 'Phone call'
  const lines = LABELS.flatMap(([key, label]) => {
    const v = show(data[key])
    return v === null ? [] : [`${label}: ${v}`]
  })
  return [title, ...lines].join('\n')
}
