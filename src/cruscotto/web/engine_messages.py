# ruff: noqa: E501
"""The templates of the core's and the readers' messages, for ``makemessages``.

``makemessages`` reads only the web package: the messages that
:mod:`cruscotto.core` and :mod:`cruscotto.io` mark with ``gettext_noop``
(see :mod:`cruscotto.core.messages`) are repeated here so that the catalogue
collects them. ``tests/web/test_engine_messages.py`` keeps this list equal to
theirs (and prints the lines to add).
"""

from django.utils.translation import gettext_noop

TEMPLATES = [
    gettext_noop("%(var)s %(year)s vale %(this)s qui ma %(that)s alla riga %(first)s (una variabile ha un solo valore all'anno)"),
    gettext_noop('%(where)s: %(message)s (atteso: %(expected)s)'),
    gettext_noop('%(where)s: %(message)s (campo «%(field)s»)'),
    gettext_noop('%(where)s: %(message)s (campo «%(field)s»; atteso: %(expected)s)'),
    gettext_noop('%(year)s è fuori dal piano'),
    gettext_noop('certificare i valori'),
    gettext_noop('colonna sconosciuta «%(name)s»'),
    gettext_noop('i valori sono certificati e bloccati: una rettifica li riapre indicandone il motivo'),
    gettext_noop('i valori sono in stato %(state)s'),
    gettext_noop('i valori sono inviati: il controllo di gestione deve prima validarli o restituirli'),
    gettext_noop("i valori sono validati: ora possono agire solo l'OIV (certificazione) o il controllo di gestione (restituzione)"),
    gettext_noop('il file non si può leggere: %(why)s'),
    gettext_noop('il file è vuoto'),
    gettext_noop("il target non è raggiunto: motiva lo scostamento prima dell'invio"),
    gettext_noop('il testo non è in UTF-8 (byte %(byte)s)'),
    gettext_noop('inviare i valori'),
    gettext_noop("l'indicatore %(code)s non legge la variabile «%(var)s»"),
    gettext_noop('lo stesso valore in ogni riga della variabile'),
    gettext_noop("manca il codice dell'indicatore"),
    gettext_noop('manca il valore di %(input)s'),
    gettext_noop('manca la colonna %(name)s'),
    gettext_noop("misurazione intermedia: indica la previsione di fine anno prima dell'invio"),
    gettext_noop('modificare i valori'),
    gettext_noop('nessun indicatore «%(code)s» nel piano'),
    gettext_noop('non è un file CSV: %(why)s'),
    gettext_noop('ora non si può %(action)s: %(why)s'),
    gettext_noop('restituire i valori'),
    gettext_noop('riaprire i valori'),
    gettext_noop('riga CSV non valida: %(why)s'),
    gettext_noop("un anno dal %(first)s al %(last)s (l'anno prima del piano per i target di crescita)"),
    gettext_noop('un anno di quattro cifre, per esempio %(y)s'),
    gettext_noop('un codice di indicatore del piano, per esempio %(code)s'),
    gettext_noop('un file CSV salvato come UTF-8'),
    gettext_noop('un numero (1234,5), una percentuale (92%), sì/no, oppure vuoto per «non misurato»'),
    gettext_noop('un secondo valore per %(code)s %(var)s %(year)s; il primo è alla riga %(first)s'),
    gettext_noop("una di: %(names)s; oppure vuoto per il valore dell'indicatore"),
    gettext_noop('una riga di intestazione con %(names)s (e, se serve, period)'),
    gettext_noop('una riga di intestazione: %(names)s'),
    gettext_noop('una sola riga per indicatore, variabile, anno e periodo'),
    gettext_noop('validare i valori'),
    gettext_noop("vuoto per la fine dell'anno, oppure una data come 30/06/%(y)s"),
    gettext_noop('«%(text)s» non è sì o no'),
    gettext_noop('«%(text)s» non è un anno'),
    gettext_noop('«%(text)s» non è un numero'),
    gettext_noop('«%(text)s» non è una data del %(year)s'),
    gettext_noop('«%(text)s» è ambiguo: scrivi %(int)s per le migliaia o %(dec)s per i decimali'),
    gettext_noop('«%(text)s» è sì/no, ma questa variabile è un numero'),
]
