/*
 * conf_store.c - reference-counted current configuration behind one mutex.
 *
 * The counts change only under the lock that guards the swap, so a conf
 * can never be freed while another thread is taking a reference to it.
 * Loading a new conf (slow: files, regex compilation) happens before
 * publish, outside the lock.
 */
#include "conf_store.h"

#include <pthread.h>

#include "conf.h"

static pthread_mutex_t conf_store_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conf *conf_store_current;

/* conf_store_unref - drop one reference; caller holds the lock */
static struct conf *
conf_store_unref(struct conf *c)
{
	if (c != NULL && --c->refs == 0)
		return c;		/* freed by the caller, outside the lock */
	return NULL;
}

/* conf_store_publish - see conf_store.h */
void
conf_store_publish(struct conf *c)
{
	struct conf *dead;

	c->refs = 1;
	pthread_mutex_lock(&conf_store_lock);
	dead = conf_store_unref(conf_store_current);
	conf_store_current = c;
	pthread_mutex_unlock(&conf_store_lock);
	conf_free(dead);
}

/* conf_store_acquire - see conf_store.h */
struct conf *
conf_store_acquire(void)
{
	struct conf *c;

	pthread_mutex_lock(&conf_store_lock);
	if ((c = conf_store_current) != NULL)
		c->refs++;
	pthread_mutex_unlock(&conf_store_lock);
	return c;
}

/* conf_store_release - see conf_store.h */
void
conf_store_release(struct conf *c)
{
	struct conf *dead;

	if (c == NULL)
		return;
	pthread_mutex_lock(&conf_store_lock);
	dead = conf_store_unref(c);
	pthread_mutex_unlock(&conf_store_lock);
	conf_free(dead);
}

/* conf_store_shutdown - see conf_store.h */
void
conf_store_shutdown(void)
{
	struct conf *dead;

	pthread_mutex_lock(&conf_store_lock);
	dead = conf_store_unref(conf_store_current);
	conf_store_current = NULL;
	pthread_mutex_unlock(&conf_store_lock);
	conf_free(dead);
}
