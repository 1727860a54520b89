/*
 * conf_store.h - the configuration in force, shared by all threads.
 *
 * A message acquires the current conf when it starts and releases it
 * when it ends; a reload publishes a new conf without waiting for them.
 * The old conf is freed when its last message releases it, so every
 * message is judged by exactly one rule set from start to end.
 */
#ifndef VIGIE_CONF_STORE_H
#define VIGIE_CONF_STORE_H

struct conf;

/* conf_store_publish - make c current (the store takes c's first reference) */
void	conf_store_publish(struct conf *c);
/* conf_store_acquire - a reference to the current conf, or NULL if none */
struct conf *conf_store_acquire(void);
void	conf_store_release(struct conf *c);
/* conf_store_shutdown - drop the store's own reference */
void	conf_store_shutdown(void);

#endif
