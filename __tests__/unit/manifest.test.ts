import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import {
  artifactAnnotations,
  fluxConfig,
  fluxManifest,
  formatCreated
} from '../../src/artifact/manifest.js'
import { InputError } from '../../src/errors.js'

const layer = { digest: 'sha256:' + 'a'.repeat(64), size: 123, diffId: 'sha256:' + 'b'.repeat(64) }

describe('the Flux config blob', () => {
  it('records the diffID and created time in the shape Flux <= 2.8 uploads', () => {
    const config = fluxConfig(layer, '2026-01-01T00:00:00Z')
    expect(config.bytes.toString()).toBe(
      '{"architecture":"","created":"2026-01-01T00:00:00Z","history":[{"created":"2026-01-01T00:00:00Z"}],' +
        `"os":"","rootfs":{"type":"layers","diff_ids":["${layer.diffId}"]},"config":{}}`
    )
    expect(config.descriptor.mediaType).toBe('application/vnd.cncf.flux.config.v1+json')
    expect(config.descriptor.size).toBe(config.bytes.length)
  })
})

describe('the Flux manifest', () => {
  const config = fluxConfig(layer, '2026-01-01T00:00:00Z')
  const annotations = artifactAnnotations({
    created: '2026-01-01T00:00:00Z',
    source: 'https://github.com/org/fleet',
    revision: 'main@sha1:' + 'c'.repeat(40)
  })
  const manifest = fluxManifest(config.descriptor, layer, annotations)

  it('has ggcr field order, one tar+gzip layer, sorted annotations and no artifactType', () => {
    expect(manifest.bytes.toString()).toBe(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",' +
        `"config":{"mediaType":"application/vnd.cncf.flux.config.v1+json","size":${config.descriptor.size},"digest":"${config.descriptor.digest}"},` +
        `"layers":[{"mediaType":"application/vnd.cncf.flux.content.v1.tar+gzip","size":123,"digest":"${layer.digest}"}],` +
        '"annotations":{"org.opencontainers.image.created":"2026-01-01T00:00:00Z",' +
        '"org.opencontainers.image.revision":"main@sha1:cccccccccccccccccccccccccccccccccccccccc",' +
        '"org.opencontainers.image.source":"https://github.com/org/fleet"}}'
    )
  })

  it('is addressed by the sha256 of its exact bytes', () => {
    expect(manifest.descriptor.digest).toBe(
      'sha256:' + createHash('sha256').update(manifest.bytes).digest('hex')
    )
    expect(manifest.descriptor.mediaType).toBe('application/vnd.oci.image.manifest.v1+json')
  })
})

describe('annotations', () => {
  it('let user annotations override created, source and revision', () => {
    expect(
      artifactAnnotations({
        created: '2026-01-01T00:00:00Z',
        source: 'https://github.com/org/fleet',
        revision: 'main@sha1:x',
        annotations: {
          'org.opencontainers.image.source': 'https://example.com/mirror',
          'org.opencontainers.image.created': '2030-05-05T05:05:05Z',
          'com.example.team': 'platform'
        }
      })
    ).toEqual({
      'com.example.team': 'platform',
      'org.opencontainers.image.created': '2030-05-05T05:05:05Z',
      'org.opencontainers.image.revision': 'main@sha1:x',
      'org.opencontainers.image.source': 'https://example.com/mirror'
    })
  })

  it('refuse a created annotation that is not RFC 3339, as Flux would', () => {
    expect(() =>
      artifactAnnotations({
        created: '2026-01-01T00:00:00Z',
        annotations: { 'org.opencontainers.image.created': 'yesterday' }
      })
    ).toThrow(InputError)
  })

  it('format the created time in UTC with second precision', () => {
    expect(formatCreated(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe('2026-01-02T03:04:05Z')
  })
})
