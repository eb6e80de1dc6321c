// `POST /go2scan/{token}/upload`: the homeowner's scan upload behind a GoToScan link. The token
// is the only credential. Multipart is registered in this route's scope only.
import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UnsupportedMediaTypeError } from '../../../errors.js';
import type { Services } from '../../../services/index.js';
import { MAX_SCAN_FILES } from '../../../services/go2scan/go2scan-service.js';
import { Message, ValidationErrorBody } from '../../schemas/common.js';

const Uploaded = Type.Object({
  message: Type.String(),
  order_id: Type.String(),
  status: Type.String(),
  files: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), size: Type.Integer() })),
});

export interface Go2scanUploadOptions {
  services: Pick<Services, 'go2scan'>;
  /** CASA_SCAN_MAX_BYTES: the largest file one upload may carry. */
  scanMaxBytes: number;
}

export const go2scanUploadRoutes: FastifyPluginAsyncTypebox<Go2scanUploadOptions> = async (app, { services, scanMaxBytes }) => {
  await app.register(multipart, {
    limits: { fileSize: scanMaxBytes, files: MAX_SCAN_FILES + 1, fields: 20, fieldSize: 10_000, parts: MAX_SCAN_FILES + 21 },
  });

  app.post(
    '/go2scan/:token/upload',
    {
      schema: {
        tags: ['GoToScan Orders'],
        summary: 'Upload the scan behind a GoToScan link (multipart/form-data, one or more files)',
        description: 'Moves the order New → Pending. The link works once and expires after 30 days.',
        consumes: ['multipart/form-data'],
        params: Type.Object({ token: Type.String({ maxLength: 200 }) }),
        response: {
          200: Uploaded,
          400: Type.Union([ValidationErrorBody, Message]),
          404: Message,
          409: Message,
          410: Message,
          413: Message,
          415: Message,
        },
      },
    },
    async (request) => {
      if (!request.isMultipart()) {
        await services.go2scan.orderForToken(request.params.token);
        throw new UnsupportedMediaTypeError('multipart/form-data');
      }
      return services.go2scan.upload(request.params.token, request.files());
    },
  );
};
