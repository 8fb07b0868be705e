"""Stop words per content language, for topic phrases (opportunities/phrases.py).

A stop word never starts or ends a phrase, and it breaks a run of words; a connector
("of", "de", "für") may sit in the middle of a three-word phrase ("cost of living",
"leche de avena"). Besides function words, the lists hold the filler social captions
are full of ("actually", "literally", "gonna"), which make no topic. Hand-written and
short on purpose: enough to tell languages apart and to keep phrases clean.
"""

from __future__ import annotations

_EN = """
a about above after again against all almost also always am an and any anyone are aren't
around as at be because been before being below between both but by can can't cannot could
couldn't did didn't do does doesn't doing don't down during each either else even ever every
few for from further get gets getting got had hadn't has hasn't have haven't having he he's
her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in
into is isn't it it's its itself just let let's me more most much must my myself no nor not
now of off on once only or other others our ours ourselves out over own same she she's
should shouldn't so some such than that that's the their theirs them themselves then there
there's these they they'd they'll they're they've this those through to too under until up
upon us very via vs was wasn't we we'd we'll we're we've were weren't what what's when
when's where where's which while who who's whom why why's will with within without won't
would wouldn't yet you you'd you'll you're you've your yours yourself yourselves
actually really literally basically honestly totally seriously definitely probably maybe
gonna wanna gotta yeah yes okay ok lol omg pls please thanks thank like likes liked love
loved lot lots thing things stuff way ways today tonight tomorrow yesterday day days week
weeks year years time times new best top good great better bad big little many one two three
first last next still already another something anything everything nothing someone
everyone people guys make makes made making need needs want wants know knows think see look
looks go goes going went come comes take takes use uses using try trying tried keep say says
said tell told feel give show shows watch part follow comment subscribe matter matters
"""

_ES = """
a al algo algunos ante antes aqui así aunque bien cada casi como con contra cual cuando de
del desde donde dos el ella ellas ellos en entre era eres es esa ese eso esta está están
estar este esto estos fue fueron ha hace hacer hay la las le les lo los más me mi mis mucho
muy nada ni no nos nosotros o otra otro para pero poco por porque que qué quien se sea ser
si sí sin sobre solo son su sus también tan te tengo tiene tienen todo todos tu tus un una
uno unos y ya yo hoy día días cosa cosas vez veces así súper
"""

_PT = """
a ao aos aquela aquele as até com como da das de dela dele depois do dos e é ela ele eles em
entre era essa esse esta está estão este eu foi for há isso isto já lhe mais mas me mesmo
meu minha muito na nas não nem no nos nós o os ou para pela pelo por porque quando que se
sem ser seu sua são também te tem tinha tu um uma você vocês hoje dia dias coisa coisas vez
"""

_FR = """
à au aux avec ce ces cette c'est dans de des du elle elles en est et être eu il ils je la
le les leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour
qu que qui sa se ses son sur ta te tes toi ton tous tout tu un une vos votre vous y ça
très plus aussi comme fait faire jour jours chose choses fois aujourd'hui
"""

_DE = """
aber alle als also am an auch auf aus bei bin bis bist da damit das dass dein deine dem den
der des die dir doch du durch ein eine einem einen einer es für hab habe haben hat ich ihr
im in ist ja jetzt kann kein keine man mein meine mit nach nicht noch nur oder ohne schon
sehr sein sich sie sind so über um und uns unser von vor war was wie wir wird zu zum zur
heute tag tage mal ganz immer viel viele
"""

_IT = """
a ad al alla alle anche che chi ci come con cui da dal dalla del della delle dei di e è ed
gli ha hai hanno ho il in io la le lei lo loro lui ma mi mia mio ne nei nel nella no noi non
o per più perché poi quando quella quello questa questo se si sia sono su sua suo tu tutto
tutti un una uno voi oggi giorno giorni cosa cose volta molto
"""

_NL = """
aan al als bij dan dat de deze die dit doen door dus een en er had heb heeft het hij hoe
ik in is je jij kan maar me met mij mijn na naar niet nog nu of om onze ook op over te tot
uit van voor was wat we wel wie wij zal ze zich zijn zo zoals vandaag dag dagen heel veel
"""

STOPWORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": _EN,
        "es": _ES,
        "pt": _PT,
        "fr": _FR,
        "de": _DE,
        "it": _IT,
        "nl": _NL,
    }.items()
}

CONNECTORS: dict[str, frozenset[str]] = {
    "en": frozenset("of for and to in on vs with".split()),
    "es": frozenset("de del la el en y para con sin".split()),
    "pt": frozenset("de do da dos das e em para com sem".split()),
    "fr": frozenset("de du des la le à et en pour sans".split()),
    "de": frozenset("und für im der die das mit von ohne".split()),
    "it": frozenset("di del della e per con in senza".split()),
    "nl": frozenset("van de het en voor met in zonder".split()),
}

# Social boilerplate made of content words: never a topic.
BOILERPLATE_PHRASES = frozenset(
    {"link in bio", "link in description", "full video", "original sound", "original audio"}
)

# Hashtags every platform's posts carry whatever they are about: no topic, no trend.
GENERIC_HASHTAGS = frozenset(
    """fyp foryou foryoupage fypシ viral viralvideo trending trend explore explorepage reels
    reel reelsinstagram instagood instagram tiktok tiktokviral youtube shorts youtubeshorts
    linkedin video videos new love like follow followme likeforlikes photooftheday""".split()
)
