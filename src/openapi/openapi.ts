import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Essay forum API')
    .setDescription('The public REST interface (v1). Errors answer `{ statusCode, error, message }`.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * JSON at /api/openapi.json, the UI at /api/docs. The document is built at the first request for it, not at every
 * start: scanning every route's metadata cost about 90 ms of each start (of the server, and of every test app).
 */
export function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/openapi.json',
    useGlobalPrefix: false,
  });
}
