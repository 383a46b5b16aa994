/**
 * The schemas under lambdas/ use zod/mini (functional API, tree-shakable: a bundle holds only the
 * schema kinds and checks it uses, where classic zod attaches its whole method API to every schema
 * and ships every locale). zod/mini loads no messages by itself ("Invalid input" for everything);
 * importing this module gives zod's English messages, the ones classic zod gives, so issue codes,
 * paths and messages stay zod's own. Every module that defines a schema imports it.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());
