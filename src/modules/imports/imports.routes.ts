import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.ts';

/** Bulk import of persons from CSV. */
export const importRoutes: FastifyPluginAsyncTypebox<AppDeps> = async () => {};
